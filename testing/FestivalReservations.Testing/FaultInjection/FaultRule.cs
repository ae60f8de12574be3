namespace FestivalReservations.Testing.FaultInjection;

/// <summary>
/// Which calls get which fault. Each rule counts the calls that match it (kind and any
/// <see cref="Where"/>) from the moment it is added, and decides from that count (the Nth) or from
/// a seeded <see cref="Random"/> (a rate), so a run with the same seed and the same order of calls
/// faults the same calls. Thread safe; one rule may be added to several proxies.
/// </summary>
public sealed class FaultRule
{
    private readonly Lock _lock = new();
    private readonly HashSet<CallKind> _kinds;
    private readonly Func<int, Fault?> _decide;
    private readonly string _description;
    private readonly List<Func<StorageCall, bool>> _filters = [];
    private int _matched;
    private int _fired;

    private FaultRule(IEnumerable<CallKind> kinds, Func<int, Fault?> decide, string description, int? seed = null)
    {
        _kinds = [.. kinds];
        _decide = decide;
        _description = description;
        Seed = seed;
        if (_kinds.Count == 0)
        {
            throw new ArgumentException("A rule targets at least one call kind.", nameof(kinds));
        }
    }

    /// <summary>The seed of a <see cref="Rate"/> rule (print it, so a failing run can be replayed); null for the others.</summary>
    public int? Seed { get; }

    /// <summary>Calls that matched so far.</summary>
    public int Matched
    {
        get { lock (_lock) { return _matched; } }
    }

    /// <summary>Faults this rule decided so far.</summary>
    public int Fired
    {
        get { lock (_lock) { return _fired; } }
    }

    /// <summary>The first matching call only.</summary>
    public static FaultRule Once(CallKind kind, Fault fault) => OnCall(kind, 1, fault);

    /// <summary>The <paramref name="n"/>th matching call only (1 is the first).</summary>
    public static FaultRule OnCall(CallKind kind, int n, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return new([kind], call => call == n ? fault : null, $"call {n} of {kind}: {fault}");
    }

    /// <summary>The first <paramref name="count"/> matching calls.</summary>
    public static FaultRule FirstCalls(CallKind kind, int count, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new([kind], call => call <= count ? fault : null, $"first {count} of {kind}: {fault}");
    }

    /// <summary>Every matching call, until removed.</summary>
    public static FaultRule Always(CallKind kind, Fault fault) => new([kind], _ => fault, $"every {kind}: {fault}");

    /// <summary>
    /// Each matching call, with probability <paramref name="rate"/>, gets one of
    /// <paramref name="faults"/> (picked at random too), from a <see cref="Random"/> seeded with
    /// <paramref name="seed"/>.
    /// </summary>
    public static FaultRule Rate(double rate, IEnumerable<CallKind> kinds, IEnumerable<Fault> faults, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        var choices = faults.ToArray();
        if (choices.Length == 0)
        {
            throw new ArgumentException("A rate rule has at least one fault to choose from.", nameof(faults));
        }

        var kindList = kinds.ToArray();
        var random = new Random(seed);
        // Two draws per call whatever the outcome, so one call's luck does not shift the next's.
        return new(kindList, _ =>
        {
            var hit = random.NextDouble() < rate;
            var pick = random.Next(choices.Length);
            return hit ? choices[pick] : null;
        }, $"{rate:P1} of {string.Join(", ", kindList)} (seed {seed}): {string.Join(" | ", choices.Select(f => f.ToString()))}", seed);
    }

    /// <summary>Narrows this rule to calls that also pass <paramref name="filter"/> (e.g. <c>c =&gt; c.Method == "POST"</c>); returns it.</summary>
    public FaultRule Where(Func<StorageCall, bool> filter)
    {
        lock (_lock)
        {
            _filters.Add(filter);
        }

        return this;
    }

    /// <summary>The fault for <paramref name="call"/>, or null to relay it faithfully; counts it when it matches.</summary>
    public Fault? Decide(StorageCall call)
    {
        lock (_lock)
        {
            if (!_kinds.Contains(call.Kind) || !_filters.TrueForAll(f => f(call)))
            {
                return null;
            }

            var fault = _decide(++_matched);
            if (fault is not null)
            {
                _fired++;
            }

            return fault;
        }
    }

    public override string ToString() => _description;
}
