using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Moq;

namespace FestivalReservations.Tests.Unit.Functions;

public sealed partial class CreateReservationTests : IDisposable
{
    private const string Session = TestCatalog.SundayParade;
    private readonly VisitorApi _api = new();

    public void Dispose() => _api.Dispose();

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex CodeFormat();

    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Fact]
    public async Task Run_SeatsFree_201ConfirmedWithLocationAndMaskedPhone()
    {
        var response = await _api.CreateAsync(Session, VisitorApi.Body(partySize: 3, language: "en"));

        Assert.Equal(201, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        var body = response.Json;
        var code = body.GetProperty("code").GetString()!;
        Assert.Matches(CodeFormat(), code);
        Assert.Equal($"/api/reservations/{code}", response.Header("Location"));
        Assert.Equal("confirmed", body.GetProperty("status").GetString());
        Assert.Equal(Session, body.GetProperty("sessionId").GetString());
        Assert.Equal("mask-parade", body.GetProperty("programId").GetString());
        Assert.Equal("Mask parade", body.GetProperty("programTitle").GetProperty("en").GetString());
        Assert.Equal("2024-09-08T15:00:00+09:00", body.GetProperty("start").GetString());
        Assert.Equal("010-****-5678", body.GetProperty("phoneMasked").GetString());
        Assert.Equal("en", body.GetProperty("language").GetString());
        Assert.Equal(3, body.GetProperty("partySize").GetInt32());
        Assert.Equal("2024-09-05T03:00:00Z", body.GetProperty("createdAt").GetString());
        Assert.False(body.TryGetProperty("waitlistPosition", out _));
        Assert.DoesNotContain("1234", response.Body, StringComparison.Ordinal);
        Assert.Equal(3, _api.Counter().Reserved);
        _api.VerifySubmitted(Times.Once());
        Assert.Single(_api.Storage.SentMessages);
    }

    [Fact]
    public async Task Run_FullSessionJoinWaitlist_201WaitlistedWithPosition()
    {
        _api.SetCounter(s => s with { Reserved = 10 });

        var first = await _api.CreateAsync(Session, VisitorApi.Body(phone: "010-1111-2222", joinWaitlist: true));
        var second = await _api.CreateAsync(Session, VisitorApi.Body(phone: "010-3333-4444", joinWaitlist: true));

        Assert.Equal(201, first.Status);
        Assert.Equal("waitlisted", first.Json.GetProperty("status").GetString());
        Assert.Equal(1, first.Json.GetProperty("waitlistPosition").GetInt32());
        Assert.Equal(2, second.Json.GetProperty("waitlistPosition").GetInt32());
        Assert.Equal(4, _api.Counter().Waitlisted);
    }

    [Theory]
    [InlineData("{ \"name\": ")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    public async Task Run_NotAJsonObject_ValidationFailed(string body)
    {
        ProblemAssert.Problem(await _api.CreateAsync(Session, body), 400, "validation-failed");
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_EmptyBody_ValidationFailed()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, ""), "body");
    }

    [Theory]
    [InlineData("{\"name\":\"Kim\",\"phone\":\"010-1234-5678\",\"partySize\":\"2\"}")]
    [InlineData("{\"name\":\"Kim\",\"phone\":\"010-1234-5678\",\"partySize\":2.5}")]
    [InlineData("{\"name\":\"Kim\",\"phone\":\"010-1234-5678\",\"partySize\":true}")]
    public async Task Run_PartySizeWrongType_ValidationFailedOnPartySize(string body)
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, body), "partySize");
    }

    [Fact]
    public async Task Run_NameWrongType_ValidationFailedOnName()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, "{\"name\":42,\"phone\":\"010-1234-5678\",\"partySize\":2}"), "name");
    }

    [Fact]
    public async Task Run_UnknownField_ValidationFailed()
    {
        var response = await _api.CreateAsync(Session, "{\"name\":\"Kim\",\"phone\":\"010-1234-5678\",\"partySize\":2,\"vip\":true}");

        ProblemAssert.Problem(response, 400, "validation-failed");
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_MissingName_ValidationFailedOnName()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, "{\"phone\":\"010-1234-5678\",\"partySize\":2}"), "name");
    }

    [Fact]
    public async Task Run_NameWithRightToLeftOverride_ValidationFailedOnName()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, VisitorApi.Body(name: "Kim\u202EusniM")), "name");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public async Task Run_PartySizeOutOfRange_ValidationFailedOnPartySize(int partySize)
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, VisitorApi.Body(partySize: partySize)), "partySize");
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_PartySizeAtProgramMax_Created()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body(partySize: 4))).Status);
    }

    [Fact]
    public async Task Run_MissingPartySize_ValidationFailedOnPartySize()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, "{\"name\":\"Kim\",\"phone\":\"010-1234-5678\"}"), "partySize");
    }

    [Fact]
    public async Task Run_UnknownLanguage_ValidationFailedOnLanguage()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, VisitorApi.Body(language: "fr")), "language");
    }

    [Fact]
    public async Task Run_MissingPhone_ValidationFailedOnPhone()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, "{\"name\":\"Kim\",\"partySize\":2}"), "phone");
    }

    [Theory]
    [InlineData("02-312-3456")]
    [InlineData("070-1234-5678")]
    [InlineData("+1 202 555 0100")]
    public async Task Run_NotAKoreanMobile_InvalidPhone(string phone)
    {
        var body = ProblemAssert.Problem(await _api.CreateAsync(Session, VisitorApi.Body(phone: phone)), 400, "invalid-phone");

        Assert.True(body.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_UnknownSession_NotFound()
    {
        ProblemAssert.Problem(await _api.CreateAsync("mask-parade.20240908.1600", VisitorApi.Body()), 404, "not-found");
    }

    [Fact]
    public async Task Run_NotEnoughSeatsNoWaitlist_SessionFullAndNothingWritten()
    {
        _api.SetCounter(s => s with { Reserved = 9 });

        ProblemAssert.Problem(await _api.CreateAsync(Session, VisitorApi.Body(partySize: 2)), 409, "session-full");

        Assert.Equal(9, _api.Counter().Reserved);
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_SamePhoneTwiceInAnotherForm_DuplicateReservation()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body(phone: "010-1234-5678"))).Status);

        var again = await _api.CreateAsync(Session, VisitorApi.Body(name: "Someone else", phone: "+82 10 1234 5678", partySize: 1));

        ProblemAssert.Problem(again, 409, "duplicate-reservation");
        Assert.Equal(2, _api.Counter().Reserved);
        Assert.Equal(1, _api.Commits);
    }

    [Fact]
    public async Task Run_SamePhoneOtherSession_Created()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body())).Status);

        Assert.Equal(201, (await _api.CreateAsync("mask-parade.20240907.1500", VisitorApi.Body())).Status);
    }

    [Fact]
    public async Task Run_SamePhoneOverlappingSession_OverlappingReservationAndNothingWritten()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body())).Status);
        var rows = _api.Storage.Sessions.Rows().Count;

        // The picnic (14:00-15:30) overlaps the parade (15:00-16:00) that Sunday.
        ProblemAssert.Problem(await _api.CreateAsync(TestCatalog.SundayPicnic, VisitorApi.Body()), 409, "overlapping-reservation");
        Assert.Equal(rows, _api.Storage.Sessions.Rows().Count);
    }

    [Fact]
    public async Task Run_OverlappingSessionAfterTheFirstWasCancelled_Created()
    {
        var first = await _api.CreateAsync(Session, VisitorApi.Body());
        var code = first.Json.GetProperty("code").GetString()!;
        Assert.Equal(200, (await _api.CancelAsync(code, VisitorApi.PhoneBody("010-1234-5678"))).Status);

        Assert.Equal(201, (await _api.CreateAsync(TestCatalog.SundayPicnic, VisitorApi.Body())).Status);
    }

    [Fact]
    public async Task Run_BeforeBookingOpens_BookingNotOpenWithOpeningTime()
    {
        using var early = new VisitorApi(Sessions.OpensAt.AddMinutes(-1));

        var body = ProblemAssert.Problem(await early.CreateAsync(Session, VisitorApi.Body()), 422, "booking-not-open");

        // A festival time: festival-local with its offset, as the contract writes every festival time.
        Assert.Equal("2024-09-02T10:00:00+09:00", body.GetProperty("bookingOpensAt").GetString());
        Assert.Equal(0, early.Commits);
    }

    [Fact]
    public async Task Run_ExactlyWhenBookingOpens_Created()
    {
        using var opening = new VisitorApi(Sessions.OpensAt);

        Assert.Equal(201, (await opening.CreateAsync(Session, VisitorApi.Body())).Status);
    }

    [Fact]
    public async Task Run_AtSessionStart_BookingClosed()
    {
        _api.Clock.SetUtcNow(Sessions.Start);

        ProblemAssert.Problem(await _api.CreateAsync(Session, VisitorApi.Body()), 422, "booking-closed");
    }

    [Fact]
    public async Task Run_ClosedByStaff_BookingClosed()
    {
        _api.SetCounter(s => s with { Closed = true });

        ProblemAssert.Problem(await _api.CreateAsync(Session, VisitorApi.Body()), 422, "booking-closed");
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_BodyOver16KiB_PayloadTooLarge()
    {
        var body = VisitorApi.Body(name: new string('a', 17 * 1024));

        ProblemAssert.Problem(await _api.CreateAsync(Session, body), 413, "payload-too-large");
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Run_BodyOfExactly16KiB_Accepted()
    {
        var json = VisitorApi.Body();
        var body = json + new string(' ', 16 * 1024 - System.Text.Encoding.UTF8.GetByteCount(json));

        var response = await _api.CreateAsync(Session, body, contentLength: 16 * 1024);

        Assert.Equal(201, response.Status);
    }

    [Fact]
    public async Task Run_ContentLengthOver16KiB_PayloadTooLargeWithoutReading()
    {
        var response = await _api.CreateAsync(Session, VisitorApi.Body(), contentLength: 16 * 1024 + 1);

        ProblemAssert.Problem(response, 413, "payload-too-large");
    }

    [Fact]
    public async Task Run_TextPlain_415()
    {
        ProblemAssert.Problem(await _api.CreateAsync(Session, VisitorApi.Body(), "text/plain"), 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Run_JsonWithCharset_Created()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body(), "application/json; charset=utf-8")).Status);
    }

    [Fact]
    public async Task Run_StorageUnavailable_503WithRetryAfterAndNoStorageText()
    {
        _api.Storage.Sessions.Mock
            .Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Throws(new RequestFailedException(503, "Server Busy: secret-account-name"));

        var response = await _api.CreateAsync(Session, VisitorApi.Body());

        ProblemAssert.Problem(response, 503, "storage-unavailable");
        Assert.True(int.Parse(response.Header("Retry-After"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.DoesNotContain("secret-account-name", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StorageRetriesExhaustedByNetworkTimeouts_503NotA500()
    {
        // What the Azure SDK throws when every try hit its network timeout: an AggregateException of TaskCanceledExceptions.
        var timeouts = new AggregateException("Retry failed after 4 tries.", Enumerable.Range(0, 4)
            .Select(_ => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10.")));
        _api.Storage.Sessions.Mock
            .Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(timeouts);

        var response = await _api.CreateAsync(Session, VisitorApi.Body());

        ProblemAssert.Problem(response, 503, "storage-unavailable");
        Assert.NotEmpty(response.Header("Retry-After"));
    }

    [Fact]
    public void IsStorageTrouble_AggregateOfAnythingElse_IsNot()
    {
        Assert.True(FestivalReservations.Functions.Http.Api.IsStorageTrouble(new AggregateException(new RequestFailedException(500, "x"), new HttpRequestException())));
        Assert.False(FestivalReservations.Functions.Http.Api.IsStorageTrouble(new AggregateException(new InvalidOperationException())));
        Assert.False(FestivalReservations.Functions.Http.Api.IsStorageTrouble(new AggregateException()));
        Assert.False(FestivalReservations.Functions.Http.Api.IsStorageTrouble(new NullReferenceException()));
    }

    [Fact]
    public async Task Run_CounterKeepsChanging_503WithRetryAfter()
    {
        _api.Storage.Sessions.Mock
            .Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(AzureFakes.TransactionFailed(412, 0));

        var response = await _api.Clock.Advancing(_api.CreateAsync(Session, VisitorApi.Body()));

        ProblemAssert.Problem(response, 503, "storage-unavailable");
        Assert.NotEmpty(response.Header("Retry-After"));
        _api.VerifySubmitted(Times.Exactly(3));
    }

    [Fact]
    public async Task Run_SameIdempotencyKeyAndBodyTwice_ReplaysSameReservationAndCommitsOnce()
    {
        var body = VisitorApi.Body();

        var first = await _api.CreateAsync(Session, body, headers: Key("tap-123"));
        var second = await _api.CreateAsync(Session, body, headers: Key("tap-123"));

        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);
        Assert.Empty(first.Header("Idempotent-Replayed"));
        Assert.Equal("true", second.Header("Idempotent-Replayed"));
        Assert.Equal(first.Json.GetProperty("code").GetString(), second.Json.GetProperty("code").GetString());
        Assert.Equal(first.Header("Location"), second.Header("Location"));
        Assert.Equal(first.Body, second.Body);
        _api.VerifySubmitted(Times.Once());
        Assert.Equal(2, _api.Counter().Reserved);
        Assert.Single(_api.Storage.Codes.Rows());
    }

    [Fact]
    public async Task Run_StorageFailsUnderIdempotencyKey_KeyReleasedAndRetrySucceeds()
    {
        _api.Storage.Sessions.FailNextSubmit(new RequestFailedException(503, "Server Busy"));

        var failed = await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("retry-me"));
        var retried = await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("retry-me"));

        ProblemAssert.Problem(failed, 503, "storage-unavailable");
        Assert.Equal(201, retried.Status);
        Assert.Empty(retried.Header("Idempotent-Replayed"));
        Assert.Equal(2, _api.Counter().Reserved);
    }

    [Fact]
    public async Task Run_SameIdempotencyKeyOtherBody_IdempotencyKeyReusedAndNothingWritten()
    {
        await _api.CreateAsync(Session, VisitorApi.Body(partySize: 2), headers: Key("tap-123"));

        var response = await _api.CreateAsync(Session, VisitorApi.Body(partySize: 3), headers: Key("tap-123"));

        ProblemAssert.Problem(response, 422, "idempotency-key-reused");
        _api.VerifySubmitted(Times.Once());
        Assert.Equal(2, _api.Counter().Reserved);
    }

    [Fact]
    public async Task Run_SameIdempotencyKeyOtherSession_IdempotencyKeyReused()
    {
        await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("tap-123"));

        ProblemAssert.Problem(await _api.CreateAsync(TestCatalog.SundayPicnic, VisitorApi.Body(), headers: Key("tap-123")), 422, "idempotency-key-reused");
    }

    [Fact]
    public async Task Run_RefusalWithIdempotencyKeyRepeated_SameRefusalReplayed()
    {
        _api.SetCounter(s => s with { Reserved = 10 });

        var first = await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("full-1"));
        var second = await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("full-1"));

        ProblemAssert.Problem(first, 409, "session-full");
        ProblemAssert.Problem(second, 409, "session-full");
        Assert.Equal("true", second.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Run_RefusalStoredWithNumericCode_SameRefusalReplayed()
    {
        _api.SetCounter(s => s with { Reserved = 10 });
        await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("full-2"));
        var row = Assert.Single(_api.Storage.Idempotency.Rows());
        Assert.Contains("\"code\":\"SessionFull\"", row.GetString("Response"), StringComparison.Ordinal);
        // As a row written before stored enums were names holds it.
        row["Response"] = row.GetString("Response").Replace("\"SessionFull\"", ((int)ErrorCode.SessionFull).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        _api.Storage.Idempotency.Seed(row);

        var replayed = await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("full-2"));

        ProblemAssert.Problem(replayed, 409, "session-full");
        Assert.Equal("true", replayed.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Run_DifferentIdempotencyKeys_TwoAttemptsSecondIsDuplicate()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("a"))).Status);

        ProblemAssert.Problem(await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key("b")), 409, "duplicate-reservation");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("키")]
    public async Task Run_IdempotencyKeyNotPrintableAscii_ValidationFailed(string key)
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key(key)), "Idempotency-Key");
    }

    [Fact]
    public async Task Run_IdempotencyKeyOver64_ValidationFailed()
    {
        ProblemAssert.ValidationFailed(await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key(new string('k', 65))), "Idempotency-Key");
    }

    [Fact]
    public async Task Run_IdempotencyKeyOf64_Created()
    {
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body(), headers: Key(new string('k', 64)))).Status);
    }

    [Fact]
    public async Task Run_Confirmed_PhoneMarkerKeyedByHashNotNumber()
    {
        await _api.CreateAsync(Session, VisitorApi.Body());

        var rows = _api.Storage.Sessions.Rows(Session, SessionRows.PhoneMarkerPrefix);

        Assert.Equal(SessionRows.PhoneMarker(_api.Hasher.Hash("+821012345678")), Assert.Single(rows).RowKey);
        Assert.DoesNotContain("1012345678", rows[0].RowKey, StringComparison.Ordinal);
    }
}
