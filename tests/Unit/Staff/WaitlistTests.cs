using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Staff;

/// <summary>The waitlist through the services: order, strict versus skip-ahead, bounds, and when promotion stops.</summary>
public sealed class WaitlistTests : IDisposable
{
    private const string Parade = TestCatalog.SundayParade;   // capacity 10, parties up to 4, strict
    private const string Picnic = TestCatalog.SundayPicnic;   // capacity 8, parties up to 6, skip-ahead
    private readonly StaffApi _api = new();

    public void Dispose() => _api.Dispose();

    private async Task<int?> PositionAsync(string code, string phone)
    {
        var response = await _api.Visitors.LookupAsync(code, VisitorApi.PhoneBody(phone));
        return response.Json.TryGetProperty("waitlistPosition", out var p) ? p.GetInt32() : null;
    }

    private string Status(string code, string sessionId = Parade) => _api.Stored(code, sessionId).Status;

    private void AssertCounterMatchesRows(string sessionId)
    {
        var counter = _api.Counter(sessionId);
        var rows = _api.Storage.Sessions.ReservationRows(sessionId).Select(SessionEntities.ToReservation).ToList();
        Assert.Equal(counter.Reserved, rows.Where(r => r.HoldsSeats).Sum(r => r.PartySize));
        Assert.Equal(counter.Waitlisted, rows.Where(r => r.Status == ReservationStatus.Waitlisted).Sum(r => r.PartySize));
        Assert.Equal(counter.WaitlistParties, _api.Storage.Sessions.Rows(sessionId, SessionRows.WaitlistPrefix).Count);
        Assert.True(counter.Reserved <= counter.Capacity);
    }

    [Fact]
    public async Task Cancel_FreedSeats_GoToTheFirstInLine_PositionsBehindMoveUp()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 2);
        await _api.ReserveAsync("010-1000-0002", partySize: 2);
        _api.Visitors.SetCounter(s => s with { Capacity = 4 });
        var first = await _api.ReserveAsync("010-2000-0001", partySize: 2, joinWaitlist: true);
        var second = await _api.ReserveAsync("010-2000-0002", partySize: 2, joinWaitlist: true);
        Assert.Equal(2, await PositionAsync(second, "010-2000-0002"));

        await _api.Visitors.CancelAsync(holder, VisitorApi.PhoneBody("010-1000-0001"));

        Assert.Equal(ReservationStatus.Confirmed, Status(first));
        Assert.Equal(ReservationStatus.Waitlisted, Status(second));
        Assert.Equal(1, await PositionAsync(second, "010-2000-0002"));
        AssertCounterMatchesRows(Parade);
    }

    [Fact]
    public async Task Strict_HeadTooLarge_NobodyBehindPromoted_NewPartiesQueueBehind()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 2);
        await _api.ReserveAsync("010-1000-0002", partySize: 4);
        await _api.ReserveAsync("010-1000-0003", partySize: 4);
        var big = await _api.ReserveAsync("010-2000-0001", partySize: 4, joinWaitlist: true);
        var small = await _api.ReserveAsync("010-2000-0002", partySize: 1, joinWaitlist: true);

        await _api.Visitors.CancelAsync(holder, VisitorApi.PhoneBody("010-1000-0001"));

        // 2 seats free: the party of 4 at the head waits, and so does the party of 1 behind it.
        Assert.Equal(ReservationStatus.Waitlisted, Status(big));
        Assert.Equal(ReservationStatus.Waitlisted, Status(small));
        Assert.Equal(2, _api.Counter().Remaining);
        var late = await _api.Visitors.CreateAsync(Parade, VisitorApi.Body(phone: "010-3000-0001", partySize: 1, joinWaitlist: true));
        Assert.Equal("waitlisted", late.Json.GetProperty("status").GetString());
        Assert.Equal(3, late.Json.GetProperty("waitlistPosition").GetInt32());
        ProblemAssert.Problem(await _api.Visitors.CreateAsync(Parade, VisitorApi.Body(phone: "010-3000-0002", partySize: 1)), 409, "session-full");

        // The head leaves the line: the parties behind it now fit and are promoted at once.
        await _api.Visitors.CancelAsync(big, VisitorApi.PhoneBody("010-2000-0001"));
        Assert.Equal(ReservationStatus.Confirmed, Status(small));
        Assert.Equal("confirmed", (await _api.Visitors.LookupAsync(late.Json.GetProperty("code").GetString()!, VisitorApi.PhoneBody("010-3000-0001"))).Json.GetProperty("status").GetString());
        AssertCounterMatchesRows(Parade);
    }

    [Fact]
    public async Task SkipAhead_SmallerPartyBehindTakesSeatsItFits()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 3, sessionId: Picnic);
        await _api.ReserveAsync("010-1000-0002", partySize: 5, sessionId: Picnic);
        var big = await _api.ReserveAsync("010-2000-0001", partySize: 6, joinWaitlist: true, sessionId: Picnic);
        var two = await _api.ReserveAsync("010-2000-0002", partySize: 2, joinWaitlist: true, sessionId: Picnic);

        await _api.Visitors.CancelAsync(holder, VisitorApi.PhoneBody("010-1000-0001"));

        Assert.Equal(ReservationStatus.Waitlisted, Status(big, Picnic));
        Assert.Equal(ReservationStatus.Confirmed, Status(two, Picnic));
        Assert.Equal(1, _api.Counter(Picnic).Remaining);
        AssertCounterMatchesRows(Picnic);
    }

    [Fact]
    public async Task Bound_WaitlistHoldsAsManyPeopleAsSeats_ThenSessionFull()
    {
        _api.Visitors.SetCounter(s => s with { Reserved = 10 });
        for (var i = 0; i < 2; i++)
        {
            await _api.ReserveAsync($"010-2000-000{i}", partySize: 4, joinWaitlist: true);
        }

        await _api.ReserveAsync("010-2000-0009", partySize: 2, joinWaitlist: true);   // exactly 10 waiting
        var over = await _api.Visitors.CreateAsync(Parade, VisitorApi.Body(phone: "010-3000-0001", partySize: 1, joinWaitlist: true));

        var body = ProblemAssert.Problem(over, 409, "session-full");
        Assert.Equal((10, 3), (_api.Counter().Waitlisted, _api.Counter().WaitlistParties));
        Assert.NotNull(body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task StaffCancelAfterStart_NoPromotion_BookingHasClosed()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 2);
        _api.Visitors.SetCounter(s => s with { Capacity = 2 });
        var waiting = await _api.ReserveAsync("010-2000-0001", partySize: 2, joinWaitlist: true);
        _api.Clock.SetUtcNow(Sessions.Start.AddMinutes(1));

        Assert.Equal(200, (await _api.CancelAsync(holder, "{}")).Status);

        Assert.Equal(ReservationStatus.Waitlisted, Status(waiting));
        Assert.Equal(0, _api.Counter().Reserved);
    }

    [Fact]
    public async Task StaffCancel_WhileOpen_PromotesWithPromotedSms()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 2);
        _api.Visitors.SetCounter(s => s with { Capacity = 2 });
        var waiting = await _api.ReserveAsync("010-2000-0001", partySize: 2, joinWaitlist: true);

        await _api.CancelAsync(holder, """{"reason":"staff"}""");

        Assert.Equal(ReservationStatus.Confirmed, Status(waiting));
        var kinds = _api.Storage.SentSms.Select(m => m.Kind);
        Assert.Equal(["confirmed", "waitlisted", "cancelled", "promoted"], kinds);
        AssertCounterMatchesRows(Parade);
    }

    [Fact]
    public async Task ClosedByStaff_CancelFreesSeatsButNobodyPromoted()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 2);
        _api.Visitors.SetCounter(s => s with { Capacity = 2 });
        var waiting = await _api.ReserveAsync("010-2000-0001", partySize: 2, joinWaitlist: true);
        await _api.PatchAsync(Parade, """{"closed":true}""");

        await _api.Visitors.CancelAsync(holder, VisitorApi.PhoneBody("010-1000-0001"));

        Assert.Equal(ReservationStatus.Waitlisted, Status(waiting));
        // Reopening hands the free seats to the line.
        await _api.PatchAsync(Parade, """{"closed":false}""");
        Assert.Equal(ReservationStatus.Confirmed, Status(waiting));
        AssertCounterMatchesRows(Parade);
    }

    [Fact]
    public async Task WaitlistedLeaves_TicketGoneCounterDown_PositionsMoveUp()
    {
        _api.Visitors.SetCounter(s => s with { Reserved = 10 });
        var a = await _api.ReserveAsync("010-2000-0001", partySize: 1, joinWaitlist: true);
        var b = await _api.ReserveAsync("010-2000-0002", partySize: 3, joinWaitlist: true);
        var c = await _api.ReserveAsync("010-2000-0003", partySize: 2, joinWaitlist: true);

        var response = await _api.Visitors.CancelAsync(b, VisitorApi.PhoneBody("010-2000-0002"));

        Assert.Equal("cancelled", response.Json.GetProperty("status").GetString());
        Assert.Equal(1, await PositionAsync(a, "010-2000-0001"));
        Assert.Equal(2, await PositionAsync(c, "010-2000-0003"));
        Assert.Equal((3, 2), (_api.Counter().Waitlisted, _api.Counter().WaitlistParties));
        var staffList = (await _api.ListAsync(Parade)).Json.EnumerateArray()
            .Where(r => r.GetProperty("status").GetString() == "waitlisted").Select(r => r.GetProperty("waitlistPosition").GetInt32());
        Assert.Equal([1, 2], staffList);
    }

    [Fact]
    public async Task RaiseCapacityByMoreThanOneTransactionHolds_EveryoneWhoFitsPromoted()
    {
        _api.Visitors.SetCounter(s => s with { Capacity = 40, Reserved = 40 });
        var codes = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            codes.Add(await _api.ReserveAsync($"010-2000-{i:D4}", partySize: 1, joinWaitlist: true));
        }

        var response = await _api.PatchAsync(Parade, """{"capacity":80}""");

        Assert.Equal(200, response.Status);
        Assert.Equal(0, response.Json.GetProperty("waitlisted").GetInt32());
        Assert.All(codes, code => Assert.Equal(ReservationStatus.Confirmed, Status(code)));
        Assert.Equal(80, _api.Counter().Reserved);
    }
}
