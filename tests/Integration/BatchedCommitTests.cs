using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration;

/// <summary>Group commit on Azurite: what one transaction holds, and what it leaves out.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchedCommitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Reserve_BatchWithAPhoneBookedEarlier_CommitsAllTheOthers()
    {
        var programId = TestCatalog.UniqueProgramId("dupbatch");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 100)), "Batched");
        var sessionId = TestCatalog.SessionId(programId);
        var earlier = await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(0), null, CancellationToken.None);
        Assert.True(earlier.IsSuccess);

        var results = await Task.WhenAll(Enumerable.Range(0, 31).Select(i =>
            Task.Run(() => app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, CancellationToken.None))));

        Assert.Equal(ErrorCode.DuplicateReservation, results[0].Error?.Code);
        Assert.All(results.Skip(1), r => Assert.Equal(ReservationStatus.Confirmed, r.Value?.Reservation.Status));
        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: 31);
    }

    [Fact]
    public async Task Reserve_SamePhoneManyTimesInOneRush_OneReservationAndTheOthersCommit()
    {
        var programId = TestCatalog.UniqueProgramId("dupinbatch");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 100)), "Batched");
        var sessionId = TestCatalog.SessionId(programId);

        // Every third request is phone 1000: within a batch, the second of a phone is the duplicate.
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i % 3 == 0 ? 1000 : i), null, CancellationToken.None))));

        var samePhone = results.Where((_, i) => i % 3 == 0).ToList();
        Assert.Single(samePhone, r => r.IsSuccess);
        Assert.All(samePhone.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCode.DuplicateReservation, r.Error!.Code));
        Assert.All(results.Where((_, i) => i % 3 != 0), r => Assert.True(r.IsSuccess));
        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: 41);
    }

    [Fact]
    public async Task Reserve_MoreThanOneTransactionHolds_SplitsAtTheOperationLimit()
    {
        var programId = TestCatalog.UniqueProgramId("split");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 300)), "Batched");
        var sessionId = TestCatalog.SessionId(programId);
        var metrics = app.Get<CommitMetrics>();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(ReservationStatus.Confirmed, r.Value?.Reservation.Status));
        Assert.Equal(200, results.Select(r => r.Value!.Reservation.Code).Distinct().Count());
        // A confirmed reservation is one row (its phone's) and its SMS shares the transaction's outbox
        // row, so one transaction (a head row + outbox row + rows ≤ 100) holds at most 98.
        const int perTransaction = TableLimits.MaxOperationsPerTransaction - 2;
        Assert.InRange(metrics.LargestTransaction, 2, perTransaction);
        Assert.True(metrics.TransactionTotal >= (200 + perTransaction - 1) / perTransaction, $"{metrics.TransactionTotal} transactions");
        Assert.True(metrics.TransactionTotal < 200, $"{metrics.TransactionTotal} transactions: nothing was batched");
        Assert.True(metrics.OperationTotal <= metrics.TransactionTotal * TableLimits.MaxOperationsPerTransaction);
        Assert.Equal(200, metrics.CommittedTotal);
        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: 200);
    }

    [Fact]
    public async Task Reserve_OneCallerCancels_TheOthersStillCommit()
    {
        var programId = TestCatalog.UniqueProgramId("cancelone");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString,
            TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, capacity: 100)), "Batched");
        var sessionId = TestCatalog.SessionId(programId);
        using var cancelled = new CancellationTokenSource();

        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            try
            {
                return await app.Reservations.ReserveAsync(sessionId, CoreHarness.Request(i), null, i == 0 ? cancelled.Token : CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return (Result<ReservationReceipt>?)null;
            }
        })).ToList();
        await cancelled.CancelAsync();
        var results = await Task.WhenAll(tasks);

        Assert.All(results.Skip(1), r => Assert.Equal(ReservationStatus.Confirmed, r?.Value?.Reservation.Status));
        var state = await app.Sessions.GetStateAsync(sessionId, CancellationToken.None);
        Assert.InRange(state!.Reserved, 39, 40);
        await ReservationConcurrencyTests.AssertCounterMatchesRowsAsync(app, sessionId, expectedReserved: state.Reserved);
    }
}
