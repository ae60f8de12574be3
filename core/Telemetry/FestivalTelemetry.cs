using System.Diagnostics;
using System.Diagnostics.Metrics;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Telemetry;

/// <summary>
/// The app's one Meter and one ActivitySource, both named <see cref="Name"/>, and the instruments
/// (OpenTelemetry semantic style, durations in seconds). Application Insights shows the
/// instruments in customMetrics (name = instrument, tags in customDimensions), the spans in
/// requests and dependencies. No tag carries personal data: outcomes, kinds, modes, stages.
/// </summary>
public sealed class FestivalTelemetry
{
    public const string Name = "FestivalReservations";

    public const string Reservations = "festival.reservations";
    public const string CommitDuration = "festival.commit.duration";
    public const string CommitBatchSize = "festival.commit.batch_size";
    public const string CommitOperations = "festival.commit.operations";
    public const string CommitConflicts = "festival.commit.conflicts";
    public const string CommitStageDuration = "festival.commit.stage.duration";
    public const string AllotmentMoves = "festival.allotment.moves";
    public const string Sms = "festival.sms";
    public const string SmsQueueAge = "festival.sms.queue_age";
    public const string RateLimitRefusals = "festival.rate_limit.refusals";

    /// <summary>The spans of the commit, the queue and the SMS send (the HTTP function's span is the host's).</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _reservations;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<long> _operations;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<double> _stages;
    private readonly Counter<long> _allotmentMoves;
    private readonly Counter<long> _sms;
    private readonly Histogram<double> _queueAge;
    private readonly Counter<long> _refusals;

    /// <summary>The instruments on the app's meter (<see cref="IMeterFactory"/>: one per service provider, so two apps in one process count apart).</summary>
    public FestivalTelemetry(IMeterFactory meters) : this(meters.Create(Name))
    {
    }

    /// <summary>The instruments on a meter of their own (unit tests).</summary>
    public FestivalTelemetry() : this(new Meter(Name))
    {
    }

    private FestivalTelemetry(Meter meter)
    {
        Meter = meter;
        _reservations = meter.CreateCounter<long>(Reservations, "{reservation}", "Reservation requests by outcome (a status, or the problem code of a refusal).");
        _commitDuration = meter.CreateHistogram<double>(CommitDuration, "s", "From a commit round's first read to its committed transaction.");
        _batchSize = meter.CreateHistogram<long>(CommitBatchSize, "{reservation}", "Reservations per committed transaction.");
        _operations = meter.CreateHistogram<long>(CommitOperations, "{operation}", "Table operations per committed transaction.");
        _conflicts = meter.CreateCounter<long>(CommitConflicts, "{conflict}", "412s on a session partition, by the stage that met them.");
        _stages = meter.CreateHistogram<double>(CommitStageDuration, "s", "Time spent in each stage of the commit path.");
        _allotmentMoves = meter.CreateCounter<long>(AllotmentMoves, "{move}", "Seats moved between a session's counter and its allotments.");
        _sms = meter.CreateCounter<long>(Sms, "{sms}", "SMS by kind and outcome.");
        _queueAge = meter.CreateHistogram<double>(SmsQueueAge, "s", "From enqueue to the send attempt.");
        _refusals = meter.CreateCounter<long>(RateLimitRefusals, "{refusal}", "Requests refused by a rate limit, by limit.");
    }

    public Meter Meter { get; }

    public void Reservation(string outcome) => _reservations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The outcome tag of a reservation request: its status, or the refusal's problem code (duplicate for a second booking by one phone).</summary>
    public static string OutcomeOf(ErrorCode code) => code == ErrorCode.DuplicateReservation ? "duplicate" : ErrorSlugs.Of(code);

    public void Committed(int reservations, int operations, CommitMode mode, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("mode", mode.ToString());
        _commitDuration.Record(elapsed.TotalSeconds, tag);
        _batchSize.Record(reservations, tag);
        _operations.Record(operations, tag);
    }

    public void Conflict(string stage) => _conflicts.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void Stage(string stage, TimeSpan elapsed) => _stages.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public void AllotmentMoved(int moves) => _allotmentMoves.Add(moves);

    public void SmsOutcome(string kind, string outcome) =>
        _sms.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    public void QueueAge(TimeSpan age) => _queueAge.Record(Math.Max(0, age.TotalSeconds));

    public void Refused(string limit) => _refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));
}

/// <summary>The outcomes of an SMS in <see cref="FestivalTelemetry.Sms"/>.</summary>
public static class SmsOutcome
{
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Suppressed = "suppressed";
    public const string Poisoned = "poisoned";
    public const string Retried = "retried";
}

/// <summary>The limits in <see cref="FestivalTelemetry.RateLimitRefusals"/>.</summary>
public static class RateLimit
{
    public const string Address = "address";
    public const string PhoneDay = "phone-day";
    public const string SmsBudget = "sms-budget";
    public const string CodeLockout = "code-lockout";
}
