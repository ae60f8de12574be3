using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>The storage's own limit for this write: reservations/s.</summary>
public sealed record CeilingResult(int Reservations, int Transactions, double Seconds, double ReservationsPerSecond, double EntitiesPerSecond);

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
