using Azure;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Reliability;

/// <summary>
/// A storage call can commit and lose its reply; the SDK's retry then meets our own write (412 on
/// the counter, 409 on a row we added) or times out. Such a write is answered as what it is:
/// committed. Here the in-memory table commits and then throws what the SDK would.
/// </summary>
public sealed class LostReplyTests : IDisposable
{
    private const string Session = TestCatalog.SundayParade;
    private const string Phone = "010-1234-5678";
    private readonly StaffApi _api = new();

    public void Dispose() => _api.Dispose();

    private static Exception NetworkTimeout() => new AggregateException("Retry failed after 4 tries.",
        Enumerable.Range(0, 4).Select(_ => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.")));

    private IReadOnlyList<string> SmsKinds(string code) => _api.Storage.SentSms
        .Where(m => m.ReservationCode == code.Replace("-", "", StringComparison.Ordinal))
        .Select(m => m.Kind).ToList();

    /// <summary>The code works everywhere a visitor and staff use it.</summary>
    private async Task AssertCodeWorksAsync(string code)
    {
        Assert.Equal(200, (await _api.Visitors.LookupAsync(code, VisitorApi.PhoneBody(Phone))).Status);
        Assert.Equal(200, (await _api.CheckInAsync(code)).Status);
        Assert.Equal(2, _api.Counter().CheckedIn);
    }

    public static TheoryData<string> Replies => new() { "412", "409", "timeout" };

    private static Exception Reply(string kind) => kind switch
    {
        "412" => AzureFakes.TransactionFailed(412, 0),
        "409" => AzureFakes.TransactionFailed(409, 2),
        _ => NetworkTimeout(),
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public async Task Reserve_SessionTransactionCommittedReplyLost_201WithAWorkingCodeAndOneConfirmedSms(string reply)
    {
        _api.Storage.Sessions.LoseNextSubmitReply(Reply(reply));

        var response = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone));

        Assert.Equal(201, response.Status);
        var code = response.Code!;
        Assert.Equal(ReservationStatus.Confirmed, _api.Stored(code).Status);
        Assert.Equal(2, _api.Counter().Reserved);
        Assert.NotNull(_api.Storage.Codes.Get(code[..2], code.Replace("-", "", StringComparison.Ordinal)));
        Assert.Equal(["confirmed"], SmsKinds(code));
        await AssertCodeWorksAsync(code);
    }

    [Fact]
    public async Task Reserve_CommittedButTheReadBackFailsToo_503ThenTheSameKeyGets201WithTheSameCode()
    {
        var key = Guid.NewGuid().ToString("N");
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };
        // The visitor saw the session first: the booking's early look is answered from that, so the
        // failed read below is the commit's read-back.
        Assert.True((await _api.Visitors.Queries.GetSessionAsync(Session, CancellationToken.None)).IsSuccess);
        _api.Storage.Sessions.LoseNextSubmitReply(NetworkTimeout());
        _api.Storage.Sessions.FailNextRead(NetworkTimeout());

        var first = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone), headers: headers);
        ProblemAssert.Problem(first, 503, "storage-unavailable");
        var stored = Assert.Single(_api.Storage.Sessions.ReservationRows(Session));

        var retry = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone), headers: headers);

        Assert.Equal(201, retry.Status);
        Assert.Equal(ReservationCode.Display(stored.GetString("Code")), retry.Code);
        Assert.Equal(2, _api.Counter().Reserved);
        Assert.Single(_api.Storage.Sessions.ReservationRows(Session));
        var again = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone), headers: headers);
        Assert.Equal((201, retry.Code, "true"), (again.Status, again.Code, again.Header("Idempotent-Replayed")));
        await AssertCodeWorksAsync(retry.Code!);
    }

    [Fact]
    public async Task Reserve_StorageFailsBeforeAnythingCommits_503ThenTheSameKeyBooksOnce()
    {
        var key = Guid.NewGuid().ToString("N");
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };
        _api.Storage.Sessions.FailNextSubmit(NetworkTimeout());

        ProblemAssert.Problem(await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone), headers: headers), 503, "storage-unavailable");
        Assert.Empty(_api.Storage.Sessions.ReservationRows(Session));

        var retry = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone), headers: headers);

        Assert.Equal(201, retry.Status);
        Assert.Single(_api.Storage.Sessions.ReservationRows(Session));
        Assert.Equal(2, _api.Counter().Reserved);
    }

    [Fact]
    public async Task Reserve_IdempotencyClaimStoredReplyLost_TheClaimIsOursAndTheBookingGoesAhead()
    {
        _api.Storage.Idempotency.LoseNextAddReply(new RequestFailedException(409, "The specified entity already exists.", "EntityAlreadyExists", null));

        var response = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone),
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = "lost-claim-reply" });

        Assert.Equal(201, response.Status);
        Assert.Equal(2, _api.Counter().Reserved);
    }

    [Fact]
    public async Task Reserve_CodeClaimStoredReplyLost_TheCodeIsOursAndTheBookingUsesIt()
    {
        _api.Storage.Codes.LoseNextAddReply(new RequestFailedException(409, "The specified entity already exists.", "EntityAlreadyExists", null));

        var response = await _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone));

        Assert.Equal(201, response.Status);
        var code = response.Code!.Replace("-", "", StringComparison.Ordinal);
        Assert.Single(_api.Storage.Codes.Rows());
        Assert.Equal(Session, _api.Storage.Codes.Get(code[..2], code)!.GetString("SessionId"));
    }

    [Fact]
    public async Task CheckIn_TransactionCommittedReplyLost_200NotAlreadyCheckedIn()
    {
        var code = await _api.ReserveAsync(Phone);
        _api.Storage.Sessions.LoseNextSubmitReply(AzureFakes.TransactionFailed(412, 0));

        var response = await _api.CheckInAsync(code);

        Assert.Equal(200, response.Status);
        Assert.Equal(2, _api.Counter().CheckedIn);
    }

    [Fact]
    public async Task StaffCancel_TransactionCommittedReplyLost_200AndOneCancelledSms()
    {
        var code = await _api.ReserveAsync(Phone);
        _api.Storage.Sessions.LoseNextSubmitReply(NetworkTimeout());

        var response = await _api.CancelAsync(code, "{}");

        Assert.Equal(200, response.Status);
        Assert.Equal(0, _api.Counter().Reserved);
        Assert.Equal(["confirmed", "cancelled"], SmsKinds(code));
    }

    [Fact]
    public async Task Reserve_TwoRequestsWithOneKeyAtOnce_OneBookingAndTheSame201ForBoth()
    {
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "double-tap" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Task.Run(() => _api.Visitors.CreateAsync(Session, VisitorApi.Body(phone: Phone), headers: headers))));

        Assert.All(answers, a => Assert.Equal(201, a.Status));
        Assert.Equal(answers[0].Code, answers[1].Code);
        Assert.Single(_api.Storage.Sessions.ReservationRows(Session));
        Assert.Equal(2, _api.Counter().Reserved);
    }
}
