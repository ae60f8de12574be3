using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using SessionsData = FestivalReservations.Tests.Unit.Support.Sessions;

namespace FestivalReservations.Tests.Unit.Partition;

/// <summary>The session aggregate decides without storage: its counter stays in step with the rows it records.</summary>
public sealed class SessionTests
{
    private static readonly DateTimeOffset Now = SessionsData.DuringBooking;

    private static ReservationDraft Draft(string phoneHash, int party = 2, bool waitlist = false) => new(
        new Reservation
        {
            Code = "",
            SessionId = SessionsData.Id,
            ProgramId = "mask-parade",
            Name = "김민수",
            Phone = "+8210" + phoneHash.PadLeft(8, '0')[..8],
            PartySize = party,
            Language = "ko",
            Status = ReservationStatus.Confirmed,
            CreatedAt = Now,
        },
        phoneHash, waitlist, false);

    private static Reservation Stored(string code, string status, int party = 2, long? seq = null) => Draft("1").Reservation with
    {
        Code = code,
        Status = status,
        PartySize = party,
        WaitlistSeq = seq,
    };

    [Fact]
    public void Reserve_SeatsFree_RecordsReservationMarkerAndSmsInOneStep()
    {
        var session = new Session(SessionsData.State(capacity: 10, reserved: 4));

        var result = session.Reserve(Draft("a"), ReservationCode.Parse("K7M2QX9P"), Now);

        Assert.True(result.IsSuccess);
        Assert.Equal(6, session.State.Reserved);
        var step = Assert.Single(session.Steps);
        Assert.Collection(step.Events,
            e => Assert.Equal("K7M2QX9P", Assert.IsType<ReservationAdded>(e).Reservation.Code),
            e => Assert.Equal("a", Assert.IsType<PhoneMarkerAdded>(e).PhoneHash),
            e => Assert.Equal(SmsKindFor(result.Value!), Assert.IsType<SmsOwed>(e).Message.Kind));
    }

    private static string SmsKindFor(CommittedReservation committed) => committed.Message.Kind;

    [Fact]
    public void Reserve_SamePhoneTwiceInOneSession_SecondIsDuplicateAndRecordsNothing()
    {
        var session = new Session(SessionsData.State());
        session.Reserve(Draft("a"), ReservationCode.Parse("K7M2QX9P"), Now);

        var second = session.Reserve(Draft("a"), ReservationCode.Parse("K7M2QX9Q"), Now);

        Assert.Equal(ErrorCode.DuplicateReservation, second.Error?.Code);
        Assert.Single(session.Steps);
        Assert.Equal(2, session.State.Reserved);
    }

    [Fact]
    public void TakeBackLastReservation_AfterReserve_RestoresTheCounterAndThePhone()
    {
        var session = new Session(SessionsData.State(capacity: 2));
        session.Reserve(Draft("a", party: 2, waitlist: true), ReservationCode.Parse("K7M2QX9P"), Now);

        session.TakeBackLastReservation();

        Assert.Equal(SessionsData.State(capacity: 2), session.State);
        Assert.Empty(session.Steps);
        Assert.True(session.Reserve(Draft("a"), ReservationCode.Parse("K7M2QX9Q"), Now).IsSuccess);
    }

    [Fact]
    public void Cancel_ConfirmedWhileOthersWait_PromotesTheFirstInLineInTheSameChange()
    {
        var holder = Stored("AAAA0001", ReservationStatus.Confirmed);
        var line = new[] { new WaitlistTicket(1, "BBBB0001", 2), new WaitlistTicket(2, "BBBB0002", 2) };
        var session = new Session(SessionsData.State(capacity: 2, reserved: 2, waitlisted: 4, waitlistParties: 2), [holder], line);

        var cancelled = session.Cancel(holder.Code, CancelledBy.Visitor, null, skipAhead: false, phone => "hash-" + phone, Now);

        Assert.Equal(ReservationStatus.Cancelled, cancelled.Value?.Status);
        Assert.Equal((2, 2, 1), (session.State.Reserved, session.State.Waitlisted, session.State.WaitlistParties));
        Assert.Equal(2, session.Steps.Count);
        Assert.Contains(session.Steps[0].Events, e => e is PhoneMarkerRemoved { PhoneHash: var h } && h == "hash-" + holder.Phone);
        Assert.Contains(session.Steps[1].Events, e => e is ReservationPromoted { Code: "BBBB0001" });
        Assert.Contains(session.Steps[1].Events, e => e is WaitlistTicketRemoved { Seq: 1 });
        Assert.Equal([new WaitlistTicket(2, "BBBB0002", 2)], session.Waitlist);
    }

    [Fact]
    public void Cancel_AfterStartByVisitor_RefusedAndNothingRecorded()
    {
        var holder = Stored("AAAA0001", ReservationStatus.Confirmed);
        var session = new Session(SessionsData.State(reserved: 2), [holder], []);

        var refused = session.Cancel(holder.Code, CancelledBy.Visitor, null, false, p => p, SessionsData.Start);

        Assert.Equal(ErrorCode.CancellationClosed, refused.Error?.Code);
        Assert.False(session.HasChanges);
    }

    [Fact]
    public void SetCapacity_BelowReserved_RefusedAndNothingRecorded()
    {
        var session = new Session(SessionsData.State(capacity: 10, reserved: 6));

        Assert.Equal(ErrorCode.CapacityBelowReserved, session.SetCapacity(5)?.Code);
        Assert.False(session.HasChanges);
        Assert.Null(session.SetCapacity(6));
        Assert.Equal(6, session.State.Capacity);
    }

    [Fact]
    public void PromoteWaitlist_WaitlistNotLoaded_Throws()
    {
        var session = new Session(SessionsData.State(capacity: 10, waitlisted: 2, waitlistParties: 1));

        Assert.Throws<InvalidOperationException>(() => session.PromoteWaitlist(false, Now));
    }

    [Fact]
    public void MarkNoShows_BeforeTheEnd_NothingChanges_AfterIt_SeatsMoveToNoShows()
    {
        var session = new Session(SessionsData.State(capacity: 10, reserved: 4),
            [Stored("AAAA0001", ReservationStatus.Confirmed), Stored("AAAA0002", ReservationStatus.CheckedIn)]);

        Assert.Equal(0, session.MarkNoShows(SessionsData.Start));
        Assert.Equal(1, session.MarkNoShows(SessionsData.Start.AddHours(2)));
        Assert.Equal((2, 2), (session.State.Reserved, session.State.NoShows));
        Assert.Equal(ReservationStatus.NoShow, session.Find("AAAA0001")!.Status);
    }

    [Fact]
    public void Pack_ManyPromotions_SplitsIntoWholeStepsWithinTheOperationLimit()
    {
        var line = Enumerable.Range(1, 50).Select(i => new WaitlistTicket(i, $"BBBB{i:D4}", 1)).ToList();
        var session = new Session(SessionsData.State(capacity: 100, reserved: 50, waitlisted: 50, waitlistParties: 50), [], line);

        Assert.Equal(50, session.PromoteWaitlist(false, Now));

        var ranges = SessionTransactions.Pack(session.Steps);
        Assert.Equal([new StepRange(0, 49), new StepRange(49, 1)], ranges); // two rows a promotion, one outbox row a transaction
        Assert.All(ranges, r => Assert.True(SessionTransactions.Operations(session.Steps.Skip(r.Start).Take(r.Count)) <= TableLimits.MaxOperationsPerTransaction));
        Assert.False(SessionTransactions.FitInOne(session.Steps));
    }
}
