using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>The outbox sweep on Azurite finds what a crash left behind through the outbox index, and only through it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboxIndexTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Sweep_CommittedButNeverDispatched_FoundThroughTheIndexSentAndItsEntryCleared()
    {
        var indexed = TestCatalog.UniqueProgramId("swept");
        var unindexed = TestCatalog.UniqueProgramId("hidden");
        var clock = new FakeTimeProvider(TestCatalog.BookingIsOpen);
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{indexed}", TestCatalog.Program(indexed, capacity: 10), TestCatalog.Program(unindexed, capacity: 10)), clock: clock);
        var (a, b) = (TestCatalog.SessionId(indexed), TestCatalog.SessionId(unindexed));
        var tables = app.Get<StorageTables>();
        var dispatcher = app.Get<OutboxDispatcher>();
        var rows = new OutboxStore(tables);

        // The process "dies" between commit and enqueue, for both bookings.
        dispatcher.DropBeforeEnqueue = _ => true;
        var booked = await app.Reservations.ReserveAsync(a, CoreHarness.Request(1), null, None);
        Assert.True((await app.Reservations.ReserveAsync(b, CoreHarness.Request(2), null, None)).IsSuccess);
        dispatcher.DropBeforeEnqueue = null;
        var message = Assert.Single(Assert.Single(await rows.PendingAsync(a, None)).Messages);
        Assert.Equal(booked.Value!.Reservation.Code.Replace("-", "", StringComparison.Ordinal), message.ReservationCode);
        var bucket = OutboxBuckets.Of(clock.GetUtcNow());
        Assert.True((await tables.OutboxIndex.GetEntityIfExistsAsync<TableEntity>(bucket, a)).HasValue);
        // Without its index entry a row is invisible to the sweep: the sweep reads no other way.
        await tables.OutboxIndex.DeleteEntityAsync(bucket, b);

        var sweeper = app.Get<OutboxSweeper>();
        await sweeper.SweepAsync(None);
        Assert.Single(await rows.PendingAsync(a, None)); // younger than a minute: left to the dispatch after commit

        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await sweeper.SweepAsync(None) >= 1);

        Assert.Empty(await rows.PendingAsync(a, None));
        Assert.Single(await rows.PendingAsync(b, None));
        var queued = await QueuedMessageIdsAsync(tables);
        Assert.Contains(message.MessageId, queued);
        Assert.DoesNotContain((await rows.PendingAsync(b, None))[0].Messages[0].MessageId, queued);
        Assert.False((await tables.OutboxIndex.GetEntityIfExistsAsync<TableEntity>(bucket, a)).HasValue);

        await rows.DeleteAsync((await rows.PendingAsync(b, None))[0], None);
    }

    [Fact]
    public async Task Sweep_RowStillPending_KeepsItsIndexEntry()
    {
        var programId = TestCatalog.UniqueProgramId("stuck");
        var clock = new FakeTimeProvider(TestCatalog.BookingIsOpen);
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 10)), clock: clock);
        var sessionId = TestCatalog.SessionId(programId);
        var tables = app.Get<StorageTables>();
        var dispatcher = app.Get<OutboxDispatcher>();
        var bucket = OutboxBuckets.Of(clock.GetUtcNow());

        // Dispatch keeps failing (the queue "down"), through the sweep too.
        dispatcher.DropBeforeEnqueue = _ => true;
        Assert.True((await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(1), null, None)).IsSuccess);
        clock.Advance(TimeSpan.FromMinutes(10));
        await app.Get<OutboxSweeper>().SweepAsync(None);

        Assert.Single(await new OutboxStore(tables).PendingAsync(sessionId, None));
        Assert.True((await tables.OutboxIndex.GetEntityIfExistsAsync<TableEntity>(bucket, sessionId)).HasValue);

        dispatcher.DropBeforeEnqueue = null;
        await app.Get<OutboxSweeper>().SweepAsync(None);
        Assert.Empty(await new OutboxStore(tables).PendingAsync(sessionId, None));
        Assert.False((await tables.OutboxIndex.GetEntityIfExistsAsync<TableEntity>(bucket, sessionId)).HasValue);
    }

    private static async Task<HashSet<string>> QueuedMessageIdsAsync(StorageTables tables)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queued in (await tables.SmsQueue.PeekMessagesAsync(32)).Value)
        {
            foreach (var message in SmsQueueMessage.Read(queued.Body.ToString()) ?? [])
            {
                ids.Add(message!.MessageId);
            }
        }

        return ids;
    }
}
