using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>
/// The storage's own limit for this write: reservations/s; and, when measured, the same with each
/// reservation's phone-day hold beside it (<see cref="CeilingRunner.RunWithHoldsAsync"/>).
/// </summary>
public sealed record CeilingResult(int Reservations, int Transactions, double Seconds, double ReservationsPerSecond, double EntitiesPerSecond)
{
    /// <summary>Reservations/s when each also writes its phone's day row, as a booking does before its round.</summary>
    public double? WithHoldsPerSecond { get; init; }
}

/// <summary>
/// The raw storage limit for the rows a reservation writes, with no app: 100-operation entity group
/// transactions in the app's layout (one head row guarded by its ETag, as a booking round writes its
/// allotment or the counter; <see cref="PerTransaction"/> reservations, each in its phone's row, which
/// is also its one-booking-per-phone marker; and the transaction's one outbox row) submitted one after
/// another to one partition, straight to Azurite.
/// </summary>
public static class CeilingRunner
{
    /// <summary>As many reservations as a booking round admits at most.</summary>
    public const int PerTransaction = BatchedCommitter.MaxAdmittedPerRound;

    public static async Task<CeilingResult> RunAsync(
        string connectionString, int reservations, int warmUpReservations, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("Ceiling" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync(cancellationToken);

        // Warmed up like the app's runs (JIT on both sides, Azurite's too, connections), on a
        // session of its own: as many reservations as their warm-up attempts, not measured.
        var (warm, warmTag) = await StartAsync(table, "ceiling-warm-up.20240908.1900", warmUpReservations, cancellationToken);
        for (var done = 0; done < warmUpReservations; done += PerTransaction)
        {
            (warm, warmTag) = await SubmitAsync(table, warm, warmTag, done, Math.Min(PerTransaction, warmUpReservations - done), cancellationToken);
        }

        var (state, etag) = await StartAsync(table, "ceiling.20240908.1500", reservations, cancellationToken);
        var clock = Stopwatch.StartNew();
        var transactions = 0;
        var entities = 0;
        for (var done = 0; done < reservations; done += PerTransaction)
        {
            var count = Math.Min(PerTransaction, reservations - done);
            (state, etag) = await SubmitAsync(table, state, etag, done, count, cancellationToken);
            transactions++;
            entities += 2 + count;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await table.DeleteAsync(cancellationToken);
        return new CeilingResult(reservations, transactions, seconds, reservations / seconds, entities / seconds);
    }

    /// <summary>Concurrent phone-day inserts, as many as the app's pool has connections to storage.</summary>
    public const int HoldWriters = StorageClients.MaxConnections;

    /// <summary>
    /// The same transactions, one after another, while <see cref="HoldWriters"/> writers insert one
    /// phone-day row per reservation (a row of its own, in one of a day's 16 partitions, as
    /// <see cref="PhoneDayHolds"/> writes a phone's first hold): what storage allows for everything a
    /// booking writes, the hold included, which a transaction cannot carry (it is another partition,
    /// written before the round). Reservations/s over the time both took.
    /// </summary>
    public static async Task<CeilingResult> RunWithHoldsAsync(
        string connectionString, int reservations, int warmUpReservations, CancellationToken cancellationToken)
    {
        var service = new TableServiceClient(connectionString);
        var table = service.GetTableClient("Ceiling" + Guid.NewGuid().ToString("N")[..12]);
        var holds = service.GetTableClient("CeilingHolds" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync(cancellationToken);
        await holds.CreateIfNotExistsAsync(cancellationToken);
        var day = new DateOnly(2024, 9, 8);

        await HoldAllAsync(holds, day, "warm-up", warmUpReservations, cancellationToken);
        var (state, etag) = await StartAsync(table, "ceiling.20240908.1500", reservations, cancellationToken);
        var clock = Stopwatch.StartNew();
        var held = HoldAllAsync(holds, day, "run", reservations, cancellationToken);
        var transactions = 0;
        var entities = 0;
        for (var done = 0; done < reservations; done += PerTransaction)
        {
            var count = Math.Min(PerTransaction, reservations - done);
            (state, etag) = await SubmitAsync(table, state, etag, done, count, cancellationToken);
            transactions++;
            entities += 2 + count;
        }

        await held;
        var seconds = clock.Elapsed.TotalSeconds;
        await table.DeleteAsync(cancellationToken);
        await holds.DeleteAsync(cancellationToken);
        return new CeilingResult(reservations, transactions, seconds, reservations / seconds, (entities + reservations) / seconds);
    }

    private static async Task HoldAllAsync(TableClient holds, DateOnly day, string tag, int count, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, HoldWriters).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var phoneHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tag}-{i}"))).ToLowerInvariant();
                await holds.AddEntityAsync(new TableEntity(PhoneDays.Partition(day, phoneHash), PhoneDays.HoldsPrefix + phoneHash)
                {
                    ["Holds"] = $"[{{\"sessionId\":\"ceiling.20240908.1500\",\"requests\":[\"{i:x32}\"]}}]",
                }, cancellationToken);
            }
        }, cancellationToken)));
    }

    private static async Task<(SessionState, ETag)> StartAsync(TableClient table, string sessionId, int capacity, CancellationToken cancellationToken)
    {
        var state = new SessionState
        {
            SessionId = sessionId,
            ProgramId = "ceiling",
            Date = new DateOnly(2024, 9, 8),
            Start = BenchCatalog.Now.AddDays(6),
            End = BenchCatalog.Now.AddDays(6).AddHours(1),
            BookingOpensAt = BenchCatalog.Now.AddHours(-2),
            Capacity = Math.Max(1, capacity),
        };
        var etag = (await table.AddEntityAsync(SessionEntities.ToEntity(state), cancellationToken)).Headers.ETag ?? ETag.All;
        return (state, etag);
    }

    private static async Task<(SessionState, ETag)> SubmitAsync(
        TableClient table, SessionState state, ETag etag, int first, int count, CancellationToken cancellationToken)
    {
        var next = state with { Reserved = state.Reserved + count };
        var actions = new List<TableTransactionAction>(2 + count)
        {
            new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(next), etag),
        };
        var messages = new List<OutboxMessage>(count);
        for (var i = first; i < first + count; i++)
        {
            var code = $"C{i:D9}";
            var reservation = new Reservation
            {
                Code = code,
                SessionId = state.SessionId,
                ProgramId = state.ProgramId,
                Name = $"관객 {i}",
                Phone = "+82" + BenchCatalog.Phone(1, i).Replace("-", "", StringComparison.Ordinal)[1..],
                PartySize = 1,
                Language = "ko",
                Status = ReservationStatus.Confirmed,
                CreatedAt = BenchCatalog.Now,
            };
            actions.Add(new(TableTransactionActionType.Add, SessionEntities.ToEntity(reservation, $"{i:x64}")));
            messages.Add(OutboxMessage.For(state.SessionId, code, SmsKind.Confirmed, BenchCatalog.Now));
        }

        actions.Add(new(TableTransactionActionType.Add, OutboxRows.ToEntity(new OutboxRow(state.SessionId, Guid.NewGuid().ToString("N"), messages))));

        var response = await table.SubmitTransactionAsync(actions, cancellationToken);
        return (next, response.Value[0].Headers.ETag ?? ETag.All);
    }
}
