using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Moq;

namespace FestivalReservations.Tests.Unit.Functions;

public sealed class ReservationLookupAndCancelTests : IDisposable
{
    private const string Session = TestCatalog.SundayParade;
    private readonly VisitorApi _api = new();

    public void Dispose() => _api.Dispose();

    private async Task<string> ReserveAsync(string phone = "010-1234-5678", int partySize = 2, bool joinWaitlist = false, VisitorApi? api = null)
    {
        var response = await (api ?? _api).CreateAsync(Session, VisitorApi.Body(phone: phone, partySize: partySize, joinWaitlist: joinWaitlist));
        Assert.Equal(201, response.Status);
        return response.Json.GetProperty("code").GetString()!;
    }

    private static Reservation Stored(string code, string status) => new()
    {
        Code = code,
        SessionId = Session,
        ProgramId = "mask-parade",
        Name = "김민수",
        Phone = "+821012345678",
        PartySize = 2,
        Language = "ko",
        Status = status,
        CreatedAt = Sessions.DuringBooking.AddDays(-1),
        CheckedInAt = status == ReservationStatus.CheckedIn ? Sessions.Start.AddMinutes(-10) : null,
    };

    [Theory]
    [InlineData("010-1234-5678")]
    [InlineData("+82 10 1234 5678")]
    [InlineData("01012345678")]
    public async Task Lookup_OwnerPhoneInAnyForm_200Reservation(string phone)
    {
        var code = await ReserveAsync();

        var response = await _api.LookupAsync(code, VisitorApi.PhoneBody(phone));

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(code, response.Json.GetProperty("code").GetString());
        Assert.Equal("confirmed", response.Json.GetProperty("status").GetString());
        Assert.Equal("010-****-5678", response.Json.GetProperty("phoneMasked").GetString());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Lookup_CodeLowercaseOrWithoutHyphen_Found(bool lower, bool dropHyphen)
    {
        var code = await ReserveAsync();
        var typed = dropHyphen ? code.Replace("-", "", StringComparison.Ordinal) : code;
        typed = lower ? typed.ToLowerInvariant() : typed;

        var response = await _api.LookupAsync(typed, VisitorApi.PhoneBody("010-1234-5678"));

        Assert.Equal(200, response.Status);
        Assert.Equal(code, response.Json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Lookup_Waitlisted_ShowsPositionInLine()
    {
        _api.SetCounter(s => s with { Reserved = 10 });
        await ReserveAsync("010-1111-1111", joinWaitlist: true);
        var second = await ReserveAsync("010-2222-2222", joinWaitlist: true);

        var response = await _api.LookupAsync(second, VisitorApi.PhoneBody("010-2222-2222"));

        Assert.Equal("waitlisted", response.Json.GetProperty("status").GetString());
        Assert.Equal(2, response.Json.GetProperty("waitlistPosition").GetInt32());
    }

    [Fact]
    public async Task Lookup_UnknownCode_NotFound()
    {
        ProblemAssert.Problem(await _api.LookupAsync("K7M2-QX9P", VisitorApi.PhoneBody("010-1234-5678")), 404, "not-found");
    }

    [Theory]
    [InlineData("not-a-code")]
    [InlineData("K7M2-QX9U")]
    public async Task Lookup_MalformedCode_NotFound(string code)
    {
        ProblemAssert.Problem(await _api.LookupAsync(code, VisitorApi.PhoneBody("010-1234-5678")), 404, "not-found");
    }

    [Fact]
    public async Task Lookup_WrongPhone_LooksExactlyLikeUnknownCode()
    {
        var code = await ReserveAsync();

        var wrongPhone = await _api.LookupAsync(code, VisitorApi.PhoneBody("010-9999-8888"));
        var unknownCode = await _api.LookupAsync("ZZZZ-ZZZZ", VisitorApi.PhoneBody("010-1234-5678"));

        ProblemAssert.Problem(wrongPhone, 404, "not-found");
        Assert.Equal(unknownCode.Status, wrongPhone.Status);
        Assert.Equal(unknownCode.ContentType, wrongPhone.ContentType);
        Assert.Equal(unknownCode.Body, wrongPhone.Body);
    }

    [Fact]
    public async Task Lookup_MissingPhone_ValidationFailed()
    {
        ProblemAssert.ValidationFailed(await _api.LookupAsync("K7M2-QX9P", "{}"), "phone");
    }

    [Fact]
    public async Task Lookup_UnknownField_ValidationFailed()
    {
        ProblemAssert.Problem(await _api.LookupAsync("K7M2-QX9P", "{\"phone\":\"010-1234-5678\",\"name\":\"x\"}"), 400, "validation-failed");
    }

    [Fact]
    public async Task Lookup_BadJson_ValidationFailed()
    {
        ProblemAssert.Problem(await _api.LookupAsync("K7M2-QX9P", "{phone:"), 400, "validation-failed");
    }

    [Fact]
    public async Task Lookup_TextPlain_415()
    {
        ProblemAssert.Problem(await _api.LookupAsync("K7M2-QX9P", VisitorApi.PhoneBody("010-1234-5678"), "text/plain"), 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Lookup_BodyOver16KiB_PayloadTooLarge()
    {
        ProblemAssert.Problem(await _api.LookupAsync("K7M2-QX9P", VisitorApi.PhoneBody(new string('0', 17 * 1024))), 413, "payload-too-large");
    }

    [Fact]
    public async Task Lookup_StorageUnavailable_503WithRetryAfter()
    {
        _api.Storage.Codes.Mock
            .Setup(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "Server Busy"));

        var response = await _api.LookupAsync("K7M2-QX9P", VisitorApi.PhoneBody("010-1234-5678"));

        ProblemAssert.Problem(response, 503, "storage-unavailable");
        Assert.NotEmpty(response.Header("Retry-After"));
    }

    [Fact]
    public async Task Cancel_Confirmed_200CancelledSeatsFreedMarkerRemoved()
    {
        var code = await ReserveAsync(partySize: 3);

        var response = await _api.CancelAsync(code, VisitorApi.PhoneBody("010-1234-5678"));

        Assert.Equal(200, response.Status);
        Assert.Equal("cancelled", response.Json.GetProperty("status").GetString());
        Assert.Equal("2024-09-05T03:00:00Z", response.Json.GetProperty("cancelledAt").GetString());
        Assert.Equal(0, _api.Counter().Reserved);
        Assert.Empty(_api.Storage.Sessions.Rows(Session, SessionRows.PhoneMarkerPrefix));
        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body())).Status);
    }

    [Fact]
    public async Task Cancel_Twice_AlreadyCancelled()
    {
        var code = await ReserveAsync();
        await _api.CancelAsync(code, VisitorApi.PhoneBody("010-1234-5678"));

        ProblemAssert.Problem(await _api.CancelAsync(code, VisitorApi.PhoneBody("010-1234-5678")), 409, "already-cancelled");
        Assert.Equal(0, _api.Counter().Reserved);
    }

    [Fact]
    public async Task Cancel_CheckedIn_AlreadyCheckedIn()
    {
        _api.SetCounter(s => s with { Reserved = 2, CheckedIn = 2 });
        _api.SeedReservation(Stored("K7M2QX9P", ReservationStatus.CheckedIn));

        ProblemAssert.Problem(await _api.CancelAsync("K7M2-QX9P", VisitorApi.PhoneBody("010-1234-5678")), 409, "already-checked-in");
        Assert.Equal(2, _api.Counter().Reserved);
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Cancel_AtSessionStart_CancellationClosed()
    {
        using var late = new VisitorApi(Sessions.Start);
        late.SetCounter(s => s with { Reserved = 2 });
        late.SeedReservation(Stored("K7M2QX9P", ReservationStatus.Confirmed));

        ProblemAssert.Problem(await late.CancelAsync("K7M2-QX9P", VisitorApi.PhoneBody("010-1234-5678")), 422, "cancellation-closed");
        Assert.Equal(2, late.Counter().Reserved);
        Assert.Equal(0, late.Commits);
    }

    [Fact]
    public async Task Cancel_OneMinuteBeforeStart_Cancelled()
    {
        using var api = new VisitorApi(Sessions.Start.AddMinutes(-1));
        api.SetCounter(s => s with { Reserved = 2 });
        api.SeedReservation(Stored("K7M2QX9P", ReservationStatus.Confirmed));

        Assert.Equal(200, (await api.CancelAsync("K7M2-QX9P", VisitorApi.PhoneBody("010-1234-5678"))).Status);
        Assert.Equal(0, api.Counter().Reserved);
    }

    [Fact]
    public async Task Cancel_WrongPhone_NotFoundAndNothingChanged()
    {
        var code = await ReserveAsync();

        ProblemAssert.Problem(await _api.CancelAsync(code, VisitorApi.PhoneBody("010-9999-8888")), 404, "not-found");
        Assert.Equal(2, _api.Counter().Reserved);
        Assert.Equal(1, _api.Commits);
    }

    [Fact]
    public async Task Cancel_UnknownCode_NotFound()
    {
        ProblemAssert.Problem(await _api.CancelAsync("ZZZZ-ZZZZ", VisitorApi.PhoneBody("010-1234-5678")), 404, "not-found");
    }

    [Fact]
    public async Task Cancel_BadJson_ValidationFailed()
    {
        ProblemAssert.Problem(await _api.CancelAsync("ZZZZ-ZZZZ", "{\"phone\": 01012345678}"), 400, "validation-failed");
    }

    [Fact]
    public async Task Cancel_ContentLengthOver16KiB_PayloadTooLarge()
    {
        ProblemAssert.Problem(await _api.CancelAsync("ZZZZ-ZZZZ", VisitorApi.PhoneBody("010-1234-5678"), contentLength: 17 * 1024), 413, "payload-too-large");
    }

    [Fact]
    public async Task Cancel_TextPlain_415()
    {
        ProblemAssert.Problem(await _api.CancelAsync("ZZZZ-ZZZZ", VisitorApi.PhoneBody("010-1234-5678"), "text/plain"), 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Cancel_ConfirmedWithWaitlist_FirstInLinePromoted()
    {
        // 10 seats: 4 + 4 confirmed, then a party of 4 waits (2 seats left would not hold it).
        var first = await ReserveAsync("010-1111-1111", partySize: 4);
        await ReserveAsync("010-2222-2222", partySize: 4);
        var waiting = await ReserveAsync("010-3333-3333", partySize: 4, joinWaitlist: true);
        Assert.Equal(1, _api.Counter().WaitlistParties);

        Assert.Equal(200, (await _api.CancelAsync(first, VisitorApi.PhoneBody("010-1111-1111"))).Status);

        var promoted = await _api.LookupAsync(waiting, VisitorApi.PhoneBody("010-3333-3333"));
        Assert.Equal("confirmed", promoted.Json.GetProperty("status").GetString());
        var counter = _api.Counter();
        Assert.Equal(8, counter.Reserved);
        Assert.Equal(0, counter.Waitlisted);
        Assert.Equal(0, counter.WaitlistParties);
        Assert.Empty(_api.Storage.Sessions.Rows(Session, SessionRows.WaitlistPrefix));
    }

    [Fact]
    public async Task Cancel_Waitlisted_LeavesLineSeatsUnchanged()
    {
        _api.SetCounter(s => s with { Reserved = 10 });
        var code = await ReserveAsync(joinWaitlist: true);

        Assert.Equal(200, (await _api.CancelAsync(code, VisitorApi.PhoneBody("010-1234-5678"))).Status);

        var counter = _api.Counter();
        Assert.Equal(10, counter.Reserved);
        Assert.Equal(0, counter.Waitlisted);
        Assert.Equal(0, counter.WaitlistParties);
    }
}
