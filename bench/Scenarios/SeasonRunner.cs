using System.Diagnostics;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>One periodic or staff look-up timed over the old layout and the new one (medians of a few runs).</summary>
public sealed record SeasonTiming(string LookUp, int Found, double OldMs, int OldRowsRead, double NewMs, int NewRowsRead);

/// <summary>
/// A season's store (many past sessions full of rows, a big SmsLog) with a little pending work: a
/// few outbox rows a crash left behind and a few failed SMS. Times the outbox sweep's look-up and the
/// staff SMS lists with the layout before issue 15 (cross-partition scans, kept here as labelled
/// baselines) and with the outbox index and SmsLog's index rows.
/// </summary>
public static class SeasonRunner
{
    public const int PastSessions = 300;
    public const int ReservationsPerSession = 500; // and as many phone markers: ~300,000 Sessions rows
    public const int PendingSessions = 20;
    public const int SmsMessages = 40_000;
    public const int FailedSms = 40;
    public const int SmsPerCode = 4;
    private const int Runs = 5;

    public static async Task<IReadOnlyList<SeasonTiming>> RunAsync(string connectionString, TextWriter progress, CancellationToken cancellationToken)
    {
        var options = new StorageOptions { ConnectionString = connectionString, SmsQueueName = "season" };
        await using var clients = new ServiceCollection().AddSingleton(Options.Create(options)).AddStorageClients().BuildServiceProvider();
        var tables = clients.GetRequiredService<StorageTables>();
        await tables.EnsureCreatedAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var seeding = Stopwatch.StartNew();
        var sessionRows = await SeedSessionsAsync(tables, now, cancellationToken);
        var smsRows = await SeedSmsLogAsync(tables, now, cancellationToken);
        progress.WriteLine($"   seeded {sessionRows:N0} Sessions rows and {smsRows:N0} SmsLog rows in {seeding.Elapsed.TotalSeconds:F0} s");

        var cutoff = now - OutboxSweeper.DefaultMinimumAge;
        var index = new OutboxIndex(tables);
        var outbox = new OutboxStore(tables);
        var log = new SmsLogStore(tables);
        var code = Code(0);
        var timings = new List<SeasonTiming>
        {
            await TimeAsync("outbox sweep: find rows older than a minute",
                () => Baseline.OutboxWrittenBeforeAsync(tables.Sessions, cutoff, cancellationToken),
                async () =>
                {
                    var (found, read) = (0, 0);
                    var entries = new List<OutboxIndexEntry>();
                    await foreach (var entry in index.UpToAsync(OutboxBuckets.Of(cutoff), cancellationToken))
                    {
                        entries.Add(entry);
                    }

                    read += entries.Count;
                    foreach (var sessionId in entries.Select(e => e.SessionId).Distinct(StringComparer.Ordinal))
                    {
                        var rows = await outbox.PendingAsync(sessionId, cancellationToken);
                        read += rows.Count;
                        found += rows.Count(r => r.CreatedAt <= cutoff);
                    }

                    return (found, read);
                }),
            await TimeAsync("staff SMS list, status=failed",
                () => Baseline.SmsListAsync(tables.SmsLog, SmsStatus.Failed, null, cancellationToken),
                async () => Counted(await log.ListAsync(SmsStatus.Failed, null, cancellationToken), FailedSms)),
            await TimeAsync("staff SMS list, reservationCode=one code",
                () => Baseline.SmsListAsync(tables.SmsLog, null, code, cancellationToken),
                async () => Counted(await log.ListAsync(null, code, cancellationToken), SmsPerCode)),
        };

        // The sweep itself, once, through the index: it sends what it found and clears what it can.
        var sweeper = new OutboxSweeper(tables, new OutboxDispatcher(tables, NullLogger<OutboxDispatcher>.Instance), TimeProvider.System,
            Options.Create(options), NullLogger<OutboxSweeper>.Instance) { ClearAge = TimeSpan.FromMinutes(1) };
        var sweeping = Stopwatch.StartNew();
        var swept = await sweeper.SweepAsync(cancellationToken);
        progress.WriteLine($"   one sweep through the index sent {swept} SMS in {sweeping.Elapsed.TotalMilliseconds:F0} ms");
        return timings;
    }

    /// <summary>What a list returned, and the rows it read: an index row and a message row for each.</summary>
    private static (int Found, int Read) Counted(IReadOnlyList<SmsLogEntry> list, int expected) =>
        list.Count == expected ? (list.Count, 2 * list.Count) : throw new InvalidOperationException($"Expected {expected} messages, got {list.Count}.");

    private static async Task<SeasonTiming> TimeAsync(string name, Func<Task<(int Found, int Read)>> old, Func<Task<(int Found, int Read)>> current)
    {
        var (oldMs, oldResult) = await MedianAsync(old);
        var (newMs, newResult) = await MedianAsync(current);
        if (oldResult.Found != newResult.Found)
        {
            throw new InvalidOperationException($"{name}: the old layout found {oldResult.Found}, the new one {newResult.Found}.");
        }

        return new SeasonTiming(name, newResult.Found, oldMs, oldResult.Read, newMs, newResult.Read);
    }

    private static async Task<(double Ms, (int Found, int Read) Result)> MedianAsync(Func<Task<(int Found, int Read)>> run)
    {
        var times = new List<double>();
        (int, int) result = default;
        for (var i = 0; i < Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            result = await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (times.Order().ElementAt(Runs / 2), result);
    }

    private static string Code(int i) => $"S{i:D7}";

    /// <summary>Past sessions full of reservations and phone markers; a few with an outbox row left behind, named by the index as the app names them.</summary>
    private static async Task<int> SeedSessionsAsync(StorageTables tables, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var written = 0;
        await Parallel.ForAsync(0, PastSessions, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (s, token) =>
        {
            var sessionId = $"season-{s:D3}.20240901.1500";
            var rows = new List<TableEntity>();
            for (var i = 0; i < ReservationsPerSession; i++)
            {
                var code = $"P{s:D3}{i:D4}";
                rows.Add(SessionEntities.ToEntity(new Reservation
                {
                    Code = code, SessionId = sessionId, ProgramId = $"season-{s:D3}", Name = "관객", Phone = $"+821050{s:D3}{i:D4}",
                    PartySize = 2, Language = "ko", Status = ReservationStatus.CheckedIn, CreatedAt = now.AddDays(-30),
                }));
                rows.Add(SessionEntities.PhoneMarker(sessionId, $"{s:x4}{i:x60}", code));
            }

            if (s < PendingSessions)
            {
                var message = OutboxMessage.For(sessionId, $"P{s:D3}0000", SmsKind.Confirmed, now.AddMinutes(-5));
                rows.Add(OutboxRows.ToEntity(new OutboxRow(sessionId, Guid.NewGuid().ToString("N"), [message])));
                await tables.OutboxIndex.UpsertEntityAsync(new TableEntity(OutboxBuckets.Of(message.CreatedAt), sessionId), cancellationToken: token);
            }

            foreach (var chunk in rows.Chunk(TableLimits.MaxOperationsPerTransaction))
            {
                await tables.Sessions.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), token);
            }

            Interlocked.Add(ref written, rows.Count);
        });
        return written;
    }

    /// <summary>A season of SMS, almost all delivered, a few failed, with the index rows the store keeps for them.</summary>
    private static async Task<int> SeedSmsLogAsync(StorageTables tables, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = Enumerable.Range(0, SmsMessages).Select(i => new SmsLogEntry
        {
            MessageId = $"{i:x32}",
            ReservationCode = Code(i / SmsPerCode),
            SessionId = $"season-{i % PastSessions:D3}.20240901.1500",
            Kind = SmsKind.Confirmed,
            Language = "ko",
            To = "010-****-5678",
            Status = i % (SmsMessages / FailedSms) == 1 ? SmsStatus.Failed : SmsStatus.Delivered,
            Attempts = 1,
            TwilioSid = $"SM{i:x32}",
            CreatedAt = now.AddDays(-30),
            UpdatedAt = now.AddDays(-30),
        }).ToList();
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (e, token) => await tables.SmsLog.AddEntityAsync(SmsLogStore.ToEntity(e), token));
        var index = entries.GroupBy(e => SmsLogStore.StatusPrefix + e.Status)
            .Concat(entries.GroupBy(e => SmsLogStore.CodePrefix + e.ReservationCode))
            .SelectMany(g => g.Chunk(TableLimits.MaxOperationsPerTransaction).Select(chunk => (Partition: g.Key, chunk)))
            .ToList();
        await Parallel.ForEachAsync(index, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (batch, token) => await tables.SmsLog.SubmitTransactionAsync(batch.chunk.Select(e =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(batch.Partition, e.MessageId))), token));
        return entries.Count + 2 * entries.Count;
    }

    /// <summary>The queries of the layout before issue 15, kept to measure against; the app no longer has them.</summary>
    public static class Baseline
    {
        /// <summary>The old sweep: outbox rows of every partition of Sessions, filtered on the server (a full scan).</summary>
        public static async Task<(int Found, int Read)> OutboxWrittenBeforeAsync(TableClient sessions, DateTimeOffset cutoff, CancellationToken cancellationToken)
        {
            var found = 0;
            var filter = TableClient.CreateQueryFilter(
                $"RowKey ge {SessionRows.OutboxPrefix} and RowKey lt {SessionRows.PrefixEnd(SessionRows.OutboxPrefix)} and CreatedAt le {cutoff}");
            await foreach (var _ in sessions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                found++;
            }

            return (found, SessionsRowsScanned);
        }

        /// <summary>The old staff list: every message row of SmsLog, filtered on the server (a full scan).</summary>
        public static async Task<(int Found, int Read)> SmsListAsync(TableClient smsLog, string? status, string? code, CancellationToken cancellationToken)
        {
            var filter = TableClient.CreateQueryFilter($"RowKey eq {""} and Kind ne {""}");
            filter += status is null ? "" : " and " + TableClient.CreateQueryFilter($"Status eq {status}");
            filter += code is null ? "" : " and " + TableClient.CreateQueryFilter($"ReservationCode eq {code}");
            var found = 0;
            await foreach (var _ in smsLog.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                found++;
            }

            return (found, SmsLogRowsScanned);
        }

        /// <summary>A scan reads every row of the table on the server, whatever it returns.</summary>
        public static int SessionsRowsScanned => PastSessions * 2 * ReservationsPerSession + PendingSessions;

        public static int SmsLogRowsScanned => 3 * SmsMessages;
    }
}
