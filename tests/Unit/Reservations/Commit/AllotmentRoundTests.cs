using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using Moq;
using SessionsData = FestivalReservations.Tests.Unit.Support.Sessions;

namespace FestivalReservations.Tests.Unit.Reservations.Commit;

/// <summary>
/// How a booking round picks its allotment when several instances book one session: it stays on
/// one allotment row, and moves to one nobody else was seen taking from.
/// </summary>
public sealed class AllotmentRoundTests
{
    private static readonly DateTimeOffset Now = SessionsData.DuringBooking;

    private static SessionSnapshot Snapshot(params Allotment[] allotments)
    {
        var free = allotments.Sum(a => a.Held);
        return new SessionSnapshot(SessionsData.State(capacity: free) with { Escrow = free, Allotments = allotments.Length }, new ETag("c"), null)
        {
            Allotments = allotments.Select(a => new AllotmentRow(a, new ETag($"a{a.Index}"))).ToList(),
        };
    }

    private static PendingDraft Draft(int i, int party = 1) => new(new ReservationDraft(
        new Reservation
        {
            Code = "",
            SessionId = SessionsData.Id,
            ProgramId = "mask-parade",
            Name = "김민수",
            Phone = $"+82101234{i:D4}",
            PartySize = party,
            Language = "ko",
            Status = ReservationStatus.Confirmed,
            CreatedAt = Now,
        }, $"hash{i}", false, false), CancellationToken.None);

    private static SessionBatchQueue NewQueue() => new(SessionsData.Id,
        new CodeReserve(new CodeDirectory(new StorageTables(Mock.Of<TableServiceClient>(), Mock.Of<Azure.Storage.Queues.QueueServiceClient>())), SessionsData.Id));

    private static BatchPlan Plan(SessionSnapshot snapshot, int drafts, IReadOnlyList<int> order) =>
        BatchPlan.Build(snapshot, Enumerable.Range(0, drafts).Select(i => Draft(i)).ToList(), ReservationCode.NewOnOneShelf(drafts), Now,
            allotmentOrder: order);

    [Fact]
    public void Round_StopsAtItsAllotmentsLastSeat_TheRestWaitForTheNextRound()
    {
        var plan = Plan(Snapshot(new Allotment(0, 3, 5, 0), new Allotment(1, 10, 0, 0)), drafts: 5, order: [0, 1]);

        Assert.Equal(3, plan.AdmittedDrafts.Count);
        Assert.Equal(2, plan.Deferred.Count);
        Assert.Equal([0], plan.AllotmentsWritten);
        Assert.Equal(0, plan.Next.Reserved);
    }

    [Fact]
    public void Round_WhoseFirstAllotmentHasNoRoom_TakesFromTheNextInItsOrder()
    {
        var plan = Plan(Snapshot(new Allotment(0, 0, 8, 0), new Allotment(1, 10, 0, 0), new Allotment(2, 10, 0, 0)), drafts: 4, order: [0, 2, 1]);

        Assert.Equal(4, plan.AdmittedDrafts.Count);
        Assert.Equal([2], plan.AllotmentsWritten);
    }

    [Fact]
    public void AfterAConflict_TheQueueMovesToAnAllotmentNobodyElseTookFrom()
    {
        for (var run = 0; run < 20; run++)
        {
            var queue = NewQueue();
            queue.ChooseAllotment(Snapshot(Enumerable.Range(0, 4).Select(i => new Allotment(i, 10, 0, 0)).ToArray()));
            var first = queue.PreferredAllotment;

            // Since that look, another instance took from two allotments, the one this queue is on among them.
            var busy = new[] { first, (first + 1) % 4 };
            queue.MoveToAnotherAllotment();
            queue.ChooseAllotment(Snapshot(Enumerable.Range(0, 4).Select(i => busy.Contains(i) ? new Allotment(i, 8, 2, 0) : new Allotment(i, 10, 0, 0)).ToArray()));

            Assert.DoesNotContain(queue.PreferredAllotment, busy);
            var order = queue.AllotmentOrder();
            Assert.Equal(queue.PreferredAllotment, order[0]);
            Assert.Equal(busy.Order(), order.TakeLast(2).Order());
        }
    }

    [Fact]
    public void WithoutAConflict_TheQueueStaysOnItsAllotmentWhileItHasSeats()
    {
        var queue = NewQueue();
        queue.ChooseAllotment(Snapshot(new Allotment(0, 10, 0, 0), new Allotment(1, 10, 0, 0)));
        var on = queue.PreferredAllotment;

        queue.ChooseAllotment(Snapshot(new Allotment(0, 1, 9, 0), new Allotment(1, 1, 9, 0)));
        Assert.Equal(on, queue.PreferredAllotment);

        queue.ChooseAllotment(Snapshot(new Allotment(on, 0, 10, 0), new Allotment(1 - on, 1, 9, 0)));
        Assert.Equal(1 - on, queue.PreferredAllotment);
    }

    [Fact]
    public void WhenAnotherInstanceTakesFromItsAllotment_TheQueueMovesToAnIdleOneBeforeAnyConflict()
    {
        for (var run = 0; run < 20; run++)
        {
            var queue = NewQueue();
            queue.ChooseAllotment(Snapshot(Enumerable.Range(0, 4).Select(i => new Allotment(i, 10, 0, 0)).ToArray()));
            var on = queue.PreferredAllotment;

            // Since that look, another instance took from this queue's allotment alone.
            var busy = queue.ChooseAllotment(Snapshot(Enumerable.Range(0, 4).Select(i => i == on ? new Allotment(i, 7, 3, 0) : new Allotment(i, 10, 0, 0)).ToArray()));

            Assert.NotEqual(on, queue.PreferredAllotment);
            Assert.False(busy);
        }
    }

    [Fact]
    public void WhenEveryAllotmentWithSeatsIsBeingTakenFrom_TheChoiceSaysItIsBusy()
    {
        var queue = NewQueue();
        Assert.False(queue.ChooseAllotment(Snapshot(new Allotment(0, 10, 0, 0), new Allotment(1, 10, 0, 0), new Allotment(2, 0, 10, 0))));

        // The two with seats moved since (another instance books each); the third is sold out.
        var busy = queue.ChooseAllotment(Snapshot(new Allotment(0, 6, 4, 0), new Allotment(1, 5, 5, 0), new Allotment(2, 0, 10, 0)));

        Assert.True(busy);
        Assert.Contains(queue.PreferredAllotment, new[] { 0, 1 });

        // A look later, one of them stopped moving: the queue takes that one, and it is not busy.
        var still = queue.PreferredAllotment;
        var after = queue.ChooseAllotment(Snapshot(
            still == 0 ? new Allotment(0, 2, 8, 0) : new Allotment(0, 6, 4, 0),
            still == 1 ? new Allotment(1, 1, 9, 0) : new Allotment(1, 5, 5, 0),
            new Allotment(2, 0, 10, 0)));

        Assert.False(after);
        Assert.Equal(1 - still, queue.PreferredAllotment);
    }
}
