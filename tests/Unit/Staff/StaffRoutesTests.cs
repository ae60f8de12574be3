using System.Text.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Staff;

/// <summary>Every staff route's answers and problem codes at the function level (401 is devhost's: see StaffEndToEndTests).</summary>
public sealed class StaffRoutesTests : IDisposable
{
    private const string Parade = TestCatalog.SundayParade;
    private readonly StaffApi _api = new();

    public void Dispose() => _api.Dispose();

    private static string Patch(int? capacity = null, bool? closed = null)
    {
        var body = new Dictionary<string, object?>();
        if (capacity is not null)
        {
            body["capacity"] = capacity;
        }

        if (closed is not null)
        {
            body["closed"] = closed;
        }

        return JsonSerializer.Serialize(body);
    }

    private static string Reason(string? reason) => JsonSerializer.Serialize(new { reason });

    private IReadOnlyList<string> SentKinds() =>
        _api.Storage.SentSms.Select(m => m.Kind).ToList();

    // ---- GET /api/staff/capacity

    [Fact]
    public async Task Capacity_Day_EverySessionFromItsCounterWithTotals()
    {
        await _api.ReserveAsync("010-1111-2222", partySize: 3);
        _api.Visitors.SetCounter(s => s with { CheckedIn = 1, Waitlisted = 2, WaitlistParties = 1 }, TestCatalog.SundayPicnic);

        var response = await _api.CapacityAsync("?date=2024-09-08");

        Assert.Equal(200, response.Status);
        var body = response.Json;
        Assert.Equal("2024-09-08", body.GetProperty("date").GetString());
        var sessions = body.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal([TestCatalog.SundayPicnic, Parade], sessions.Select(s => s.GetProperty("sessionId").GetString()));
        var parade = sessions[1];
        Assert.Equal(3, parade.GetProperty("reserved").GetInt32());
        Assert.Equal(7, parade.GetProperty("remaining").GetInt32());
        Assert.Equal("가면 퍼레이드", parade.GetProperty("title").GetProperty("ko").GetString());
        Assert.Equal("open", parade.GetProperty("status").GetString());
        var totals = body.GetProperty("totals");
        Assert.Equal(18, totals.GetProperty("capacity").GetInt32());
        Assert.Equal(3, totals.GetProperty("reserved").GetInt32());
        Assert.Equal(15, totals.GetProperty("remaining").GetInt32());
        Assert.Equal(2, totals.GetProperty("waitlisted").GetInt32());
        Assert.Equal(1, totals.GetProperty("checkedIn").GetInt32());
    }

    [Fact]
    public async Task Capacity_DayWithoutSessions_EmptyWithZeroTotals()
    {
        var body = (await _api.CapacityAsync("?date=2024-12-25")).Json;

        Assert.Equal(0, body.GetProperty("sessions").GetArrayLength());
        Assert.Equal(0, body.GetProperty("totals").GetProperty("capacity").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?date=")]
    [InlineData("?date=2024-9-8")]
    [InlineData("?date=tomorrow")]
    public async Task Capacity_MissingOrMalformedDate_ValidationFailed(string query)
    {
        ProblemAssert.ValidationFailed(await _api.CapacityAsync(query), "date");
    }

    [Fact]
    public async Task Capacity_StorageUnavailable_503()
    {
        _api.Storage.Sessions.Mock.Setup(t => t.QueryAsync<Azure.Data.Tables.TableEntity>(
                Moq.It.IsAny<string>(), Moq.It.IsAny<int?>(), Moq.It.IsAny<IEnumerable<string>>(), Moq.It.IsAny<CancellationToken>()))
            .Throws(new Azure.RequestFailedException(503, "down"));
        _api.Storage.Sessions.Mock.Setup(t => t.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(
                Moq.It.IsAny<string>(), Moq.It.IsAny<string>(), Moq.It.IsAny<IEnumerable<string>>(), Moq.It.IsAny<CancellationToken>()))
            .Throws(new Azure.RequestFailedException(503, "down"));

        var response = await _api.CapacityAsync("?date=2024-09-08");

        ProblemAssert.Problem(response, 503, "storage-unavailable");
        Assert.Equal("2", response.Header("Retry-After"));
    }

    // ---- GET /api/staff/sessions/{sessionId}/reservations

    [Fact]
    public async Task List_InCreationOrder_WaitlistedWithPositions_PhonesMasked()
    {
        var first = await _api.ReserveAsync("010-1111-0001", partySize: 4);
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        await _api.ReserveAsync("010-1111-0002", partySize: 4);
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await _api.ReserveAsync("010-1111-0003", partySize: 4, joinWaitlist: true);
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        var fourth = await _api.ReserveAsync("010-1111-0004", partySize: 1, joinWaitlist: true);

        var response = await _api.ListAsync(Parade);

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        var list = response.Json.EnumerateArray().ToList();
        Assert.Equal(4, list.Count);
        Assert.Equal(first, list[0].GetProperty("code").GetString());
        Assert.Equal((third, 1), (list[2].GetProperty("code").GetString(), list[2].GetProperty("waitlistPosition").GetInt32()));
        Assert.Equal((fourth, 2), (list[3].GetProperty("code").GetString(), list[3].GetProperty("waitlistPosition").GetInt32()));
        Assert.False(list[0].TryGetProperty("waitlistPosition", out _));
        Assert.Equal("010-****-0001", list[0].GetProperty("phoneMasked").GetString());
        Assert.DoesNotContain("+8210", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("1111-0001", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AcceptCsv_BomHeaderRowMaskedPhones()
    {
        await _api.ReserveAsync("010-1111-0001", name: "김민수");
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        await _api.ReserveAsync("010-1111-0002", name: "-Park");

        var response = await _api.ListAsync(Parade, "text/csv, application/json;q=0.5");

        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/csv", response.ContentType, StringComparison.Ordinal);
        Assert.Equal('\uFEFF', response.Body[0]);
        var lines = response.Body[1..].Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("code,sessionId,start,status,partySize,name,phoneMasked,language,waitlistPosition,createdAt,checkedInAt,cancelledAt", lines[0]);
        Assert.Contains(",김민수,010-****-0001,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",'-Park,010-****-0002,", lines[2], StringComparison.Ordinal);
        Assert.Contains("attachment", response.Header("Content-Disposition"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_UnknownSession_NotFound()
    {
        ProblemAssert.Problem(await _api.ListAsync("mask-parade.20240908.1600"), 404, "not-found");
    }

    // ---- POST /api/staff/reservations/{code}/check-in

    [Fact]
    public async Task CheckIn_Confirmed_CheckedInWithTimeAndCounterInOneTransaction()
    {
        var code = await _api.ReserveAsync("010-1111-0001", partySize: 3);
        var commits = _api.Visitors.Commits;
        _api.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await _api.CheckInAsync(code.ToLowerInvariant());

        Assert.Equal(200, response.Status);
        Assert.Equal("checked-in", response.Json.GetProperty("status").GetString());
        Assert.Equal(FestivalReservations.Core.Time.FestivalTime.FormatUtc(_api.Clock.GetUtcNow()), response.Json.GetProperty("checkedInAt").GetString());
        Assert.Equal(commits + 1, _api.Visitors.Commits);
        var counter = _api.Counter();
        Assert.Equal((3, 3), (counter.Reserved, counter.CheckedIn));
        Assert.Equal(ReservationStatus.CheckedIn, _api.Stored(code).Status);
    }

    [Fact]
    public async Task CheckIn_Twice_AlreadyCheckedInWithFirstTime()
    {
        var code = await _api.ReserveAsync("010-1111-0001");
        var first = (await _api.CheckInAsync(code)).Json.GetProperty("checkedInAt").GetString();
        _api.Clock.Advance(TimeSpan.FromMinutes(3));

        var second = await _api.CheckInAsync(code);

        var body = ProblemAssert.Problem(second, 409, "already-checked-in");
        Assert.Equal(first, body.GetProperty("checkedInAt").GetString());
        Assert.Equal(2, _api.Counter().CheckedIn);
    }

    [Fact]
    public async Task CheckIn_Cancelled_AlreadyCancelled()
    {
        var code = await _api.ReserveAsync("010-1111-0001");
        await _api.CancelAsync(code, Reason(null));

        ProblemAssert.Problem(await _api.CheckInAsync(code), 409, "already-cancelled");
        Assert.Equal(0, _api.Counter().CheckedIn);
    }

    [Fact]
    public async Task CheckIn_Waitlisted_NotConfirmed()
    {
        _api.Visitors.SetCounter(s => s with { Reserved = 10 });
        var code = await _api.ReserveAsync("010-1111-0001", joinWaitlist: true);

        var body = ProblemAssert.Problem(await _api.CheckInAsync(code), 409, "not-confirmed");
        Assert.Equal("waitlisted", body.GetProperty("reservationStatus").GetString());
    }

    [Fact]
    public async Task CheckIn_NoShow_NotConfirmedWithStatus()
    {
        var code = await _api.ReserveAsync("010-1111-0001");
        _api.Clock.SetUtcNow(Sessions.Start.AddHours(2));
        Assert.Equal(1, await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None));

        var body = ProblemAssert.Problem(await _api.CheckInAsync(code), 409, "not-confirmed");
        Assert.Equal("no-show", body.GetProperty("reservationStatus").GetString());
    }

    [Theory]
    [InlineData("K7M2-QX9P")]
    [InlineData("not-a-code")]
    [InlineData("K7M2-QX9")]
    public async Task CheckIn_UnknownOrMalformedCode_NotFound(string code)
    {
        ProblemAssert.Problem(await _api.CheckInAsync(code), 404, "not-found");
    }

    [Fact]
    public async Task CheckIn_CodeWithoutReservationRow_NotFound()
    {
        _api.Storage.Codes.Seed(CodeDirectory.Row(ReservationCode.Parse("K7M2QX9P"), Parade));

        ProblemAssert.Problem(await _api.CheckInAsync("K7M2-QX9P"), 404, "not-found");
    }

    // ---- POST /api/staff/reservations/{code}/cancel

    [Fact]
    public async Task Cancel_AfterTheSessionStarted_CancelledWithReasonAndSms()
    {
        var code = await _api.ReserveAsync("010-1111-0001", partySize: 3);
        _api.Clock.SetUtcNow(Sessions.Start.AddMinutes(10));

        var response = await _api.CancelAsync(code, Reason("  우천으로 취소  "));

        Assert.Equal(200, response.Status);
        Assert.Equal("cancelled", response.Json.GetProperty("status").GetString());
        Assert.True(response.Json.TryGetProperty("cancelledAt", out _));
        Assert.Equal("우천으로 취소", _api.Stored(code).CancelReason);
        Assert.Equal(0, _api.Counter().Reserved);
        Assert.Equal([SmsKind.Confirmed, SmsKind.Cancelled], SentKinds());
    }

    [Fact]
    public async Task Cancel_WithoutReason_Cancelled()
    {
        var code = await _api.ReserveAsync("010-1111-0001");

        var response = await _api.CancelAsync(code, "{}");

        Assert.Equal(200, response.Status);
        Assert.Null(_api.Stored(code).CancelReason);
    }

    [Fact]
    public async Task Cancel_Twice_AlreadyCancelled()
    {
        var code = await _api.ReserveAsync("010-1111-0001");
        await _api.CancelAsync(code, "{}");

        ProblemAssert.Problem(await _api.CancelAsync(code, "{}"), 409, "already-cancelled");
    }

    [Fact]
    public async Task Cancel_CheckedIn_AlreadyCheckedIn()
    {
        var code = await _api.ReserveAsync("010-1111-0001");
        await _api.CheckInAsync(code);

        ProblemAssert.Problem(await _api.CancelAsync(code, "{}"), 409, "already-checked-in");
        Assert.Equal(2, _api.Counter().Reserved);
    }

    [Fact]
    public async Task Cancel_ReasonOver200Characters_ValidationFailedNothingChanged()
    {
        var code = await _api.ReserveAsync("010-1111-0001");

        ProblemAssert.ValidationFailed(await _api.CancelAsync(code, Reason(new string('가', 201))), "reason");
        Assert.Equal(ReservationStatus.Confirmed, _api.Stored(code).Status);
    }

    [Fact]
    public async Task Cancel_Reason200Characters_Cancelled()
    {
        var code = await _api.ReserveAsync("010-1111-0001");

        Assert.Equal(200, (await _api.CancelAsync(code, Reason(new string('가', 200)))).Status);
    }

    [Fact]
    public async Task Cancel_UnknownCode_NotFound()
    {
        ProblemAssert.Problem(await _api.CancelAsync("K7M2-QX9P", "{}"), 404, "not-found");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"reason\": 5}")]
    [InlineData("{\"why\": \"x\"}")]
    public async Task Cancel_MissingOrBadBody_ValidationFailed(string body)
    {
        var code = await _api.ReserveAsync("010-1111-0001");

        ProblemAssert.Problem(await _api.CancelAsync(code, body), 400, "validation-failed");
    }

    [Fact]
    public async Task Cancel_BodyOver16KiB_PayloadTooLarge()
    {
        ProblemAssert.Problem(await _api.CancelAsync("K7M2-QX9P", Reason(new string('a', 17_000))), 413, "payload-too-large");
    }

    // ---- PATCH /api/staff/sessions/{sessionId}

    [Fact]
    public async Task Patch_CapacityBelowReserved_409AndNothingChanges()
    {
        await _api.ReserveAsync("010-1111-0001", partySize: 4);
        var before = _api.Counter();
        var commits = _api.Visitors.Commits;

        var body = ProblemAssert.Problem(await _api.PatchAsync(Parade, Patch(capacity: 3, closed: true)), 409, "capacity-below-reserved");

        Assert.Equal(4, body.GetProperty("reserved").GetInt32());
        Assert.Equal(before, _api.Counter());
        Assert.Equal(commits, _api.Visitors.Commits);
    }

    [Fact]
    public async Task Patch_CapacityEqualToReserved_FullSession()
    {
        await _api.ReserveAsync("010-1111-0001", partySize: 4);

        var response = await _api.PatchAsync(Parade, Patch(capacity: 4));

        Assert.Equal(200, response.Status);
        Assert.Equal("full", response.Json.GetProperty("status").GetString());
        Assert.Equal(0, response.Json.GetProperty("remaining").GetInt32());
        Assert.Equal(4, _api.Counter().Capacity);
    }

    [Fact]
    public async Task Patch_Close_StatusClosedAndBookingRefused()
    {
        var response = await _api.PatchAsync(Parade, Patch(closed: true));

        Assert.Equal("closed", response.Json.GetProperty("status").GetString());
        ProblemAssert.Problem(await _api.Visitors.CreateAsync(Parade, VisitorApi.Body()), 422, "booking-closed");
        Assert.Equal("open", (await _api.PatchAsync(Parade, Patch(closed: false))).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Patch_RaiseCapacity_PromotesTheWaitlistInTheSameTransaction()
    {
        _api.Visitors.SetCounter(s => s with { Capacity = 2 });
        await _api.ReserveAsync("010-1111-0001", partySize: 2);
        var waiting = await _api.ReserveAsync("010-1111-0002", partySize: 2, joinWaitlist: true);
        var commits = _api.Visitors.Commits;

        var response = await _api.PatchAsync(Parade, Patch(capacity: 4));

        Assert.Equal(200, response.Status);
        Assert.Equal(commits + 1, _api.Visitors.Commits);
        Assert.Equal(ReservationStatus.Confirmed, _api.Stored(waiting).Status);
        var counter = _api.Counter();
        Assert.Equal((4, 4, 0, 0), (counter.Capacity, counter.Reserved, counter.Waitlisted, counter.WaitlistParties));
        Assert.Empty(_api.Storage.Sessions.Rows(Parade, SessionRows.WaitlistPrefix));
        Assert.Contains(SmsKind.Promoted, SentKinds());
    }

    [Fact]
    public async Task Patch_RaiseCapacityWhileClosed_NobodyPromoted()
    {
        _api.Visitors.SetCounter(s => s with { Capacity = 2 });
        await _api.ReserveAsync("010-1111-0001", partySize: 2);
        var waiting = await _api.ReserveAsync("010-1111-0002", partySize: 2, joinWaitlist: true);

        await _api.PatchAsync(Parade, Patch(capacity: 4, closed: true));

        Assert.Equal(ReservationStatus.Waitlisted, _api.Stored(waiting).Status);
        Assert.Equal(2, _api.Counter().Reserved);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task Patch_CapacityOutOfRange_ValidationFailed(int capacity)
    {
        ProblemAssert.ValidationFailed(await _api.PatchAsync(Parade, Patch(capacity: capacity)), "capacity");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task Patch_CapacityAtTheBounds_Accepted(int capacity)
    {
        Assert.Equal(200, (await _api.PatchAsync(Parade, Patch(capacity: capacity))).Status);
        Assert.Equal(capacity, _api.Counter().Capacity);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("{\"capacity\": \"ten\"}")]
    [InlineData("{\"seats\": 10}")]
    public async Task Patch_EmptyOrBadBody_ValidationFailed(string body)
    {
        ProblemAssert.Problem(await _api.PatchAsync(Parade, body), 400, "validation-failed");
    }

    [Fact]
    public async Task Patch_UnknownSession_NotFound()
    {
        ProblemAssert.Problem(await _api.PatchAsync("mask-parade.20240908.1600", Patch(capacity: 5)), 404, "not-found");
    }

    [Fact]
    public async Task Patch_BodyOver16KiB_PayloadTooLarge()
    {
        ProblemAssert.Problem(await _api.PatchAsync(Parade, "{}", contentLength: 17_000), 413, "payload-too-large");
    }

    // ---- no-shows

    [Fact]
    public async Task NoShows_AfterTheSessionEnded_ConfirmedBecomeNoShowCheckedInStay()
    {
        var absent = await _api.ReserveAsync("010-1111-0001", partySize: 3);
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        var present = await _api.ReserveAsync("010-1111-0002", partySize: 2);
        await _api.CheckInAsync(present);

        _api.Clock.SetUtcNow(Sessions.Start.AddMinutes(59));
        Assert.Equal(0, await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None));
        _api.Clock.SetUtcNow(Sessions.Start.AddMinutes(60));
        Assert.Equal(1, await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None));
        Assert.Equal(0, await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None));

        Assert.Equal(ReservationStatus.NoShow, _api.Stored(absent).Status);
        Assert.Equal(ReservationStatus.CheckedIn, _api.Stored(present).Status);
        var counter = _api.Counter();
        Assert.Equal((2, 2, 3), (counter.Reserved, counter.CheckedIn, counter.NoShows));
        var list = (await _api.ListAsync(Parade)).Json.EnumerateArray().Select(r => r.GetProperty("status").GetString());
        Assert.Equal(["no-show", "checked-in"], list);
    }

    [Fact]
    public async Task NoShows_SaturdaySessionEnded_SundayUntouched()
    {
        var sunday = await _api.ReserveAsync("010-1111-0001");
        _api.Clock.SetUtcNow(Sessions.Start.AddDays(-1).AddHours(2));

        Assert.Equal(0, await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None));
        Assert.Equal(ReservationStatus.Confirmed, _api.Stored(sunday).Status);
    }

    [Fact]
    public void Csv_Cells_FormulasNeutralisedQuotesEscaped()
    {
        Assert.Equal("'=SUM(A1)", FestivalReservations.Core.Staff.AttendeeCsv.Cell("=SUM(A1)"));
        Assert.Equal("'+82", FestivalReservations.Core.Staff.AttendeeCsv.Cell("+82"));
        Assert.Equal("'-1", FestivalReservations.Core.Staff.AttendeeCsv.Cell("-1"));
        Assert.Equal("'@me", FestivalReservations.Core.Staff.AttendeeCsv.Cell("@me"));
        Assert.Equal("\"a,b\"", FestivalReservations.Core.Staff.AttendeeCsv.Cell("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", FestivalReservations.Core.Staff.AttendeeCsv.Cell("say \"hi\""));
        Assert.Equal("\"'=1,2\"", FestivalReservations.Core.Staff.AttendeeCsv.Cell("=1,2"));
        Assert.Equal("김민수", FestivalReservations.Core.Staff.AttendeeCsv.Cell("김민수"));
        Assert.Equal("", FestivalReservations.Core.Staff.AttendeeCsv.Cell(""));
        Assert.Equal("\"line\nbreak\"", FestivalReservations.Core.Staff.AttendeeCsv.Cell("line\nbreak"));
    }
}
