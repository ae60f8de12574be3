using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Functions.Http;
using FestivalReservations.Functions.Sms;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Unit.Abuse;

/// <summary>Twilio's status callback keeps its body cap while reading, refuses unsigned calls unread, and is rate limited.</summary>
public sealed class StatusCallbackBodyTests
{
    private const int TwoMegabytes = 2 * 1024 * 1024;

    private static SmsStatusCallback Callback(ClientRateLimiter? limiter = null) => new(
        new SmsStatusUpdater(new SmsLogStore(new FakeStorage().Tables), Clocks.At(Sessions.DuringBooking), NullLogger<SmsStatusUpdater>.Instance),
        limiter ?? new InMemoryBudgetLedger().Limiter(new RateLimitOptions()),
        Options.Create(new TwilioOptions { AuthToken = "twilio-test-auth-token", StatusCallbackUrl = "https://example.test/api/sms/status" }),
        NullLogger<SmsStatusCallback>.Instance);

    private static Task<ApiResponse> SendChunkedAsync(SmsStatusCallback callback, CountingStream body, string? signature, string contentType = "application/x-www-form-urlencoded") =>
        VisitorApi.Send(request =>
        {
            request.Method = "POST";
            request.Body = body;
            request.ContentLength = null;
            request.Headers.TransferEncoding = "chunked";
            if (signature is not null)
            {
                request.Headers[SmsStatusCallback.SignatureHeader] = signature;
            }

            return callback.Run(request, CancellationToken.None);
        }, body: null, contentType);

    [Fact]
    public async Task Run_2MbChunkedUnsigned_RefusedWithoutReadingTheBody()
    {
        var body = new CountingStream(TwoMegabytes);

        var response = await SendChunkedAsync(Callback(), body, signature: null);

        ProblemAssert.Problem(response, 403, "forbidden");
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task Run_2MbChunkedWithABogusSignature_413AfterTheCapNotTheWhole()
    {
        var body = new CountingStream(TwoMegabytes);

        var response = await SendChunkedAsync(Callback(), body, signature: "bm90IGEgc2lnbmF0dXJl");

        ProblemAssert.Problem(response, 413, "payload-too-large");
        Assert.Equal(RequestBody.MaxBytes + 1, body.BytesRead);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Run_SignedButNotAForm_415Unread(string? contentType)
    {
        var body = new CountingStream(100);

        var response = await SendChunkedAsync(Callback(), body, signature: "bm90IGEgc2lnbmF0dXJl", contentType!);

        ProblemAssert.Problem(response, 415, "unsupported-media-type");
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task Run_OverTheAddressLimit_429BeforeAnythingIsRead()
    {
        var callback = Callback(new InMemoryBudgetLedger().Limiter(new RateLimitOptions { StatusCallbacksPerMinute = 4 }));
        ProblemAssert.Problem(await SendChunkedAsync(callback, new CountingStream(10), signature: null), 403, "forbidden");

        var body = new CountingStream(10);
        var response = await SendChunkedAsync(callback, body, signature: "x");

        ProblemAssert.Problem(response, 429, "too-many-requests");
        Assert.Equal(0, body.BytesRead);
    }

    /// <summary>A body of <c>length</c> bytes of 'a', produced as it is read, counting what was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, Math.Min(length - BytesRead, 4096));
            buffer[..n].Fill((byte)'a');
            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
