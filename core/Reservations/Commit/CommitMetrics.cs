using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FestivalReservations.Core.Telemetry;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// What the commit path reports: it records into the app's instruments (<see cref="FestivalTelemetry"/>:
/// festival.commit.*, festival.allotment.moves) and reads its totals back through a
/// <see cref="MeterListener"/> over those same instruments of this app's meter, for devhost's
/// /admin/metrics (the bench) and the tests. Nothing here is counted beside the instruments.
/// </summary>
public sealed class CommitMetrics : IDisposable
{
    private readonly FestivalTelemetry _telemetry;
    private readonly MeterListener _listener = new();
    private long _committedTotal;
    private long _conflictTotal;
    private long _transactionTotal;
    private long _operationTotal;
    private long _largestTransaction;
    private long _allotmentMoveTotal;
    private readonly ConcurrentDictionary<string, StageTotals> _stages = new(StringComparer.Ordinal);

    public CommitMetrics(FestivalTelemetry telemetry)
    {
        _telemetry = telemetry;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, telemetry.Meter) && instrument.Name is FestivalTelemetry.CommitBatchSize or FestivalTelemetry.CommitOperations
                or FestivalTelemetry.CommitConflicts or FestivalTelemetry.AllotmentMoves or FestivalTelemetry.CommitStageDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>On instruments of their own (unit tests).</summary>
    public CommitMetrics() : this(new FestivalTelemetry())
    {
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

    /// <summary>One committed transaction holding <paramref name="reservations"/> reservations in <paramref name="operations"/> operations, <paramref name="elapsed"/> after its round began.</summary>
    public void Committed(int reservations, int operations, CommitMode mode, TimeSpan elapsed) =>
        _telemetry.Committed(reservations, operations, mode, elapsed);

    /// <summary>A committed transaction moved seats between the counter and <paramref name="allotments"/> allotments.</summary>
    public void AllotmentMoved(int allotments = 1) => _telemetry.AllotmentMoved(allotments);

    /// <summary>A 412 on a session partition, met by <paramref name="stage"/> (which head rows, from a cached or fresh read; single; change).</summary>
    public void Conflict(string stage) => _telemetry.Conflict(stage);

    /// <summary>Adds the time since <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) to a stage of the commit path.</summary>
    public void Stage(string name, long startedAt) => _telemetry.Stage(name, Stopwatch.GetElapsedTime(startedAt));

    /// <summary>Where the time goes: per stage, how often and the mean milliseconds.</summary>
    public IReadOnlyDictionary<string, StageTime> Stages => _stages.ToDictionary(
        s => s.Key,
        s => new StageTime(Interlocked.Read(ref s.Value.Count),
            Interlocked.Read(ref s.Value.Count) == 0 ? 0
                : Math.Round(Interlocked.Read(ref s.Value.Ticks) / 10_000.0 / Interlocked.Read(ref s.Value.Count), 2)));

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct
    {
        switch (instrument.Name)
        {
            case FestivalTelemetry.CommitBatchSize:
                var reservations = Convert.ToInt64(measurement, System.Globalization.CultureInfo.InvariantCulture);
                Interlocked.Add(ref _committedTotal, reservations);
                Interlocked.Increment(ref _transactionTotal);
                for (var largest = LargestTransaction; reservations > largest; largest = LargestTransaction)
                {
                    if (Interlocked.CompareExchange(ref _largestTransaction, reservations, largest) == largest)
                    {
                        break;
                    }
                }

                break;
            case FestivalTelemetry.CommitOperations:
                Interlocked.Add(ref _operationTotal, Convert.ToInt64(measurement, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FestivalTelemetry.CommitConflicts:
                Interlocked.Add(ref _conflictTotal, Convert.ToInt64(measurement, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FestivalTelemetry.AllotmentMoves:
                Interlocked.Add(ref _allotmentMoveTotal, Convert.ToInt64(measurement, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case FestivalTelemetry.CommitStageDuration:
                var stage = Tag(tags, "stage") ?? "unknown";
                var totals = _stages.GetOrAdd(stage, static _ => new StageTotals());
                Interlocked.Increment(ref totals.Count);
                Interlocked.Add(ref totals.Ticks, TimeSpan.FromSeconds(Convert.ToDouble(measurement, System.Globalization.CultureInfo.InvariantCulture)).Ticks);
                break;
        }
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private sealed class StageTotals
    {
        public long Count;
        public long Ticks;
    }
}

/// <summary>How often a stage ran and its mean duration.</summary>
public sealed record StageTime(long Count, double MeanMs);
