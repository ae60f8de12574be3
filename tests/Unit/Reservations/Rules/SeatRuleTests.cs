using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Reservations.Rules;

public sealed class SeatRuleTests
{
    [Fact]
    public void Admit_PartyFitsExactlyTheLastSeats_Confirmed()
    {
        var result = SeatRule.Admit(Sessions.State(capacity: 10, reserved: 7), 3, joinWaitlist: false, skipAhead: false);

        Assert.True(result.IsSuccess);
        Assert.Equal(Admission.Confirmed, result.Value);
    }

    [Fact]
    public void Admit_PartyDoesNotFitWithoutWaitlist_SessionFull()
    {
        var result = SeatRule.Admit(Sessions.State(capacity: 10, reserved: 8), 3, joinWaitlist: false, skipAhead: false);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCode.SessionFull, result.Error.Code);
    }

    [Fact]
    public void Admit_PartyDoesNotFitWithWaitlist_Waitlisted()
    {
        var result = SeatRule.Admit(Sessions.State(capacity: 10, reserved: 8), 3, joinWaitlist: true, skipAhead: false);

        Assert.True(result.IsSuccess);
        Assert.Equal(Admission.Waitlisted, result.Value);
    }

    [Fact]
    public void Admit_WaitlistReachesCapacityExactly_Waitlisted()
    {
        var full = Sessions.State(capacity: 10, reserved: 10, waitlisted: 7, waitlistParties: 3);

        Assert.Equal(Admission.Waitlisted, SeatRule.Admit(full, 3, joinWaitlist: true, skipAhead: false).Value);
    }

    [Fact]
    public void Admit_WaitlistWouldExceedCapacityPeople_SessionFull()
    {
        var full = Sessions.State(capacity: 10, reserved: 10, waitlisted: 8, waitlistParties: 3);

        var result = SeatRule.Admit(full, 3, joinWaitlist: true, skipAhead: false);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCode.SessionFull, result.Error.Code);
    }

    [Fact]
    public void WaitlistLimit_IsCapacityInPeople()
    {
        Assert.Equal(37, SeatRule.WaitlistLimit(Sessions.State(capacity: 37)));
    }

    [Fact]
    public void Admit_StrictQueueWithPartiesWaitingAndSeatsFree_NewcomerWaitlistedNotSeated()
    {
        // 4 seats free, but a party of 5 waits for them: a party of 2 must queue behind it.
        var session = Sessions.State(capacity: 10, reserved: 6, waitlisted: 5, waitlistParties: 1);

        var result = SeatRule.Admit(session, 2, joinWaitlist: true, skipAhead: false);

        Assert.Equal(Admission.Waitlisted, result.Value);
    }

    [Fact]
    public void Admit_StrictQueueWithPartiesWaitingNoWaitlistWanted_SessionFull()
    {
        var session = Sessions.State(capacity: 10, reserved: 6, waitlisted: 5, waitlistParties: 1);

        var result = SeatRule.Admit(session, 2, joinWaitlist: false, skipAhead: false);

        Assert.Equal(ErrorCode.SessionFull, result.Error?.Code);
    }

    [Fact]
    public void Admit_SkipAheadWithPartiesWaitingAndSeatsFree_NewcomerSeated()
    {
        var session = Sessions.State(capacity: 10, reserved: 6, waitlisted: 5, waitlistParties: 1);

        var result = SeatRule.Admit(session, 2, joinWaitlist: true, skipAhead: true);

        Assert.Equal(Admission.Confirmed, result.Value);
    }

    [Fact]
    public void Admit_SkipAheadButPartyDoesNotFit_Waitlisted()
    {
        var session = Sessions.State(capacity: 10, reserved: 6, waitlisted: 5, waitlistParties: 1);

        Assert.Equal(Admission.Waitlisted, SeatRule.Admit(session, 5, joinWaitlist: true, skipAhead: true).Value);
    }

    [Fact]
    public void SeenFull_NoSeatAndNoWaitlistWanted_TheCommitsOwnRefusal()
    {
        var seen = Sessions.State(capacity: 10, reserved: 10);

        var refusal = SeatRule.SeenFull(seen, 1, joinWaitlist: false, skipAhead: false, Sessions.DuringBooking);

        Assert.Equal(ErrorCode.SessionFull, refusal?.Code);
        Assert.Equal(SeatRule.Admit(seen, 1, false, false).Error, refusal);
    }

    [Fact]
    public void SeenFull_NoSeatButTheWaitlistHasRoom_LeftToTheCommit()
    {
        Assert.Null(SeatRule.SeenFull(Sessions.State(capacity: 10, reserved: 10, waitlisted: 6, waitlistParties: 2), 4,
            joinWaitlist: true, skipAhead: false, Sessions.DuringBooking));
    }

    [Fact]
    public void SeenFull_NoSeatAndTheWaitlistFullToo_Refused()
    {
        Assert.Equal(ErrorCode.SessionFull, SeatRule.SeenFull(Sessions.State(capacity: 10, reserved: 10, waitlisted: 8, waitlistParties: 3), 3,
            joinWaitlist: true, skipAhead: false, Sessions.DuringBooking)?.Code);
    }

    [Fact]
    public void SeenFull_FewerSeatsThanTheParty_LeftToTheCommit()
    {
        // Not "full": the commit refuses a party of 3 for 2 seats, but says how many are left over the counter itself.
        Assert.Null(SeatRule.SeenFull(Sessions.State(capacity: 10, reserved: 8), 3, joinWaitlist: false, skipAhead: false, Sessions.DuringBooking));
    }

    [Fact]
    public void SeenFull_ClosedOrNotOpenYet_LeftToTheCommit()
    {
        var full = Sessions.State(capacity: 10, reserved: 10);

        Assert.Null(SeatRule.SeenFull(full with { Closed = true }, 1, false, false, Sessions.DuringBooking));
        Assert.Null(SeatRule.SeenFull(full, 1, false, false, Sessions.OpensAt.AddMinutes(-1)));
        Assert.Null(SeatRule.SeenFull(full, 1, false, false, Sessions.Start));
    }
}
