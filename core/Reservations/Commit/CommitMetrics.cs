using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>Counts commits, transactions and ETag conflicts (System.Diagnostics.Metrics, and readable totals for the benchmark).</summary>
public sealed class CommitMetrics : IDisposable
{
    public const string MeterName = "FestivalReservations.Commit";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _committed;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _transactions;
    private readonly Counter<long> _allotmentMoves;
    private long _committedTotal;
    private long _conflictTotal;
    private long _transactionTotal;
    private long _operationTotal;
    private long _largestTransaction;
    private long _allotmentMoveTotal;
    private readonly ConcurrentDictionary<string, StageTotals> _stages = new(StringComparer.Ordinal);

    public CommitMetrics()
    {
        _committed = _meter.CreateCounter<long>("reservations.committed");
        _conflicts = _meter.CreateCounter<long>("reservations.conflicts");
        _transactions = _meter.CreateCounter<long>("reservations.transactions");
        _allotmentMoves = _meter.CreateCounter<long>("reservations.allotment_moves");
    }

    public long CommittedTotal => Interlocked.Read(ref _committedTotal);

    public long ConflictTotal => Interlocked.Read(ref _conflictTotal);

    public long TransactionTotal => Interlocked.Read(ref _transactionTotal);

    /// <summary>Table operations in committed transactions (counter and rows).</summary>
    public long OperationTotal => Interlocked.Read(ref _operationTotal);

    /// <summary>Times seats moved between a session's counter and its allotments (shards), in committed transactions.</summary>
    public long AllotmentMoveTotal => Interlocked.Read(ref _allotmentMoveTotal);

    /// <summary>The most reservations one committed transaction held.</summary>
    public long LargestTransaction => Interlocked.Read(ref _largestTransaction);

    /// <summary>One committed transaction holding <paramref name="reservations"/> reservations in <paramref name="operations"/> operations.</summary>
    public void Committed(int reservations, int operations = 0)
    {
        Interlocked.Add(ref _committedTotal, reservations);
        Interlocked.Add(ref _operationTotal, operations);
        for (var largest = LargestTransaction; reservations > largest; largest = LargestTransaction)
        {
            if (Interlocked.CompareExchange(ref _largestTransaction, reservations, largest) == largest)
            {
                break;
            }
        }

        Interlocked.Increment(ref _transactionTotal);
        _committed.Add(reservations);
        _transactions.Add(1);
    }

    /// <summary>A committed transaction moved seats between the counter and <paramref name="allotments"/> allotments.</summary>
    public void AllotmentMoved(int allotments = 1)
    {
        Interlocked.Add(ref _allotmentMoveTotal, allotments);
        _allotmentMoves.Add(allotments);
    }

    public void Conflict()
    {
        Interlocked.Increment(ref _conflictTotal);
        _conflicts.Add(1);
    }

    /// <summary>Adds the time since <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) to a stage of the commit path.</summary>
    public void Stage(string name, long startedAt)
    {
        var totals = _stages.GetOrAdd(name, static _ => new StageTotals());
        Interlocked.Increment(ref totals.Count);
        Interlocked.Add(ref totals.Ticks, Stopwatch.GetTimestamp() - startedAt);
    }

    /// <summary>Where the time goes: per stage, how often and the mean milliseconds.</summary>
    public IReadOnlyDictionary<string, StageTime> Stages => _stages.ToDictionary(
        s => s.Key,
        s => new StageTime(Interlocked.Read(ref s.Value.Count),
            Interlocked.Read(ref s.Value.Count) == 0 ? 0
                : Math.Round(Interlocked.Read(ref s.Value.Ticks) * 1000.0 / Stopwatch.Frequency / Interlocked.Read(ref s.Value.Count), 2)));

    public void Dispose() => _meter.Dispose();

    private sealed class StageTotals
    {
        public long Count;
        public long Ticks;
    }
}

/// <summary>How often a stage ran and its mean duration.</summary>
public sealed record StageTime(long Count, double MeanMs);
