namespace FestivalReservations.Bench.Model;

/// <summary>How an instance picks the allotment of its next round.</summary>
public enum AllotmentChoice
{
    /// <summary>Any allotment with seats, afresh every round.</summary>
    Random,

    /// <summary>The one it wrote last while it has seats and no 412 came; then another at random.</summary>
    Sticky,
}

/// <summary>
/// One rush to simulate: <see cref="Instances"/> app instances, each serving its
/// <see cref="AzureTargets.ConcurrentRequestsPerInstance"/> requests at a time, booking the sessions
/// of <see cref="Capacities"/> (all opening at once; visitors pick one by popularity, Zipf s = 1 in
/// a shuffled order, among those the page does not show full yet, and never stop coming), every session's seats spread over up to
/// <see cref="Allotments"/> rows of at least <see cref="MinSeatsPerAllotment"/> seats (1: one row,
/// today's counter), written at <see cref="Cost"/>, with storage holding to Azure's targets when
/// <see cref="Throttled"/>; requests for a session their instance has seen full are refused before
/// any storage call when <see cref="RefuseSeenFull"/> (SeatRule.SeenFull, as the app does).
/// </summary>
public sealed record RushScenario(
    string Name, int Instances, IReadOnlyList<int> Capacities, WriteCost Cost, int Allotments, AllotmentChoice Choice, bool Throttled, int Seed = 1,
    bool RefuseSeenFull = true)
{
    public const int MinSeatsPerAllotment = 8;

    /// <summary>The allotment rows a session of <paramref name="capacity"/> seats is spread over.</summary>
    public int AllotmentsFor(int capacity) => Math.Clamp(capacity / MinSeatsPerAllotment, 1, Allotments);
}

/// <summary>What the simulated rush did, until every seat was sold (or <see cref="RushSimulation.MaxSeconds"/>).</summary>
public sealed record RushOutcome(
    RushScenario Scenario,
    int Seats,
    int Confirmed,
    double SoldOutSeconds,
    long Transactions,
    long Conflicts,
    long ServerBusy,
    long Answers,
    long Unavailable,
    long Entities,
    long RefusedEarly,
    long PhoneDayEntities,
    long AccountEntities,
    double ConfirmedWaitP50Seconds,
    double ConfirmedWaitP99Seconds)
{
    public double ConfirmedPerSecond => SoldOutSeconds > 0 ? Confirmed / SoldOutSeconds : 0;

    public double ReservationsPerTransaction => Transactions > 0 ? (double)Confirmed / Transactions : 0;

    public double ConflictsPerTransaction => Transactions > 0 ? (double)Conflicts / Transactions : 0;

    /// <summary>Storage's 503s (server busy), each retried by the SDK or passed on, per committed transaction.</summary>
    public double ServerBusyPerTransaction => Transactions > 0 ? (double)ServerBusy / Transactions : 0;

    /// <summary>The share of the visitors' answers that were the app's 503 (retry after 2 s).</summary>
    public double UnavailableShare => Answers > 0 ? (double)Unavailable / Answers : 0;

    public double EntitiesPerReservation => Confirmed > 0 ? (double)Entities / Confirmed : 0;

    /// <summary>The share of the answers refused before any storage call: the instance had seen the session full within the last second.</summary>
    public double RefusedEarlyShare => Answers > 0 ? (double)RefusedEarly / Answers : 0;

    /// <summary>PhoneDays entities (holds, and holds given back) per reservation sold.</summary>
    public double PhoneDayEntitiesPerReservation => Confirmed > 0 ? (double)PhoneDayEntities / Confirmed : 0;

    /// <summary>Everything the account wrote (session rows, Codes, Idempotency-Key, PhoneDays) per reservation sold.</summary>
    public double AccountEntitiesPerReservation => Confirmed > 0 ? (double)AccountEntities / Confirmed : 0;
}

/// <summary>
/// A Monte Carlo of a rush on Azure's targets (no storage, no app; seeded, so a scenario always
/// gives the same figures). Each instance has one booking round in flight per session: a round takes
/// the instance's waiting requests for that session (up to a transaction's worth), picks an
/// allotment with seats, and writes it one round trip later if it holds that row's ETag from its
/// own last write, two (a read first) if not. The write fails with 412 when another round wrote
/// the row in between (the round is decided again, up to 12 times, then answered 503) and with 503
/// "server busy" when the partition's or the account's entities per second are spent: the SDK
/// retries it after 0.2, 0.4 and 0.8 s (±20 %), then the app answers every request of the round 503
/// with Retry-After: 2 and the visitor comes back after it. Before its round every request holds
/// its phone's day (one PhoneDays entity, one round trip); refusals once a session is full cost a
/// read of the session and the hold given back (one more entity, one more round trip). A request
/// for a session its instance has seen full (the instance that sold the last seat at once, the
/// others when their 1 s counter cache next reads it) is refused before any storage call: it
/// writes only its Idempotency-Key (answered after one round trip, the key's, which the model
/// times nowhere else). The account is charged a round's key writes and holds when the round's
/// transaction or read is accepted (an early refusal's key at once); holds and key writes are never
/// refused themselves. Every answered request is followed at once by the next visitor (demand does
/// not run out).
/// </summary>
public sealed class RushSimulation
{
    public const double MaxSeconds = 600;
    private const int MaxCommitAttempts = 12;

    private readonly RushScenario _scenario;
    private readonly AzureTargets _targets;
    private readonly Random _random;
    private readonly int[][] _free;
    private readonly long[][] _version;
    private readonly int[] _remaining;
    private readonly double[] _soldOutAt;
    private readonly double[][] _seenFullAt;
    private readonly Lane[][] _lanes;
    private readonly double[] _popularity;
    private readonly TokenBucket[] _partitions;
    private readonly TokenBucket _account;
    private readonly PriorityQueue<Action<double>, (double, long)> _events = new();
    private readonly PriorityQueue<Visitor, double> _returning = new();
    private readonly List<double> _confirmedWaits = [];
    private readonly int _maxPerTransaction;
    private long _sequence;
    private int _sessionsOpen;
    private double _lastSoldOutAt;
    private long _transactions, _conflicts, _serverBusy, _answers, _unavailable, _entities, _refusedEarly, _phoneDayEntities, _accountEntities;
    private int _confirmed;

    private RushSimulation(RushScenario scenario, AzureTargets targets)
    {
        _scenario = scenario;
        _targets = targets;
        _random = new Random(scenario.Seed);
        var sessions = scenario.Capacities.Count;
        _free = [.. scenario.Capacities.Select(c => Spread(c, scenario.AllotmentsFor(c)))];
        _version = [.. scenario.Capacities.Select(c => new long[scenario.AllotmentsFor(c)])];
        _remaining = [.. scenario.Capacities];
        _soldOutAt = [.. scenario.Capacities.Select(_ => double.PositiveInfinity)];
        _seenFullAt = [.. Enumerable.Range(0, scenario.Instances).Select(_ => Enumerable.Repeat(double.PositiveInfinity, sessions).ToArray())];
        _sessionsOpen = sessions;
        _lanes = [.. Enumerable.Range(0, scenario.Instances).Select(_ => Enumerable.Range(0, sessions).Select(_ => new Lane()).ToArray())];
        var ranks = Enumerable.Range(0, sessions).OrderBy(_ => _random.Next()).ToArray();
        _popularity = new double[sessions];
        for (var rank = 0; rank < sessions; rank++)
        {
            _popularity[ranks[rank]] = 1.0 / (rank + 1);
        }

        _partitions = [.. scenario.Capacities.Select(_ => new TokenBucket(targets.PartitionEntitiesPerSecond))];
        _account = new TokenBucket(targets.AccountEntitiesPerSecond);
        _maxPerTransaction = scenario.Cost.MaxPerTransaction(targets);
    }

    public static RushOutcome Run(RushScenario scenario, AzureTargets targets)
    {
        var simulation = new RushSimulation(scenario, targets);
        return simulation.Run();
    }

    /// <summary><paramref name="seats"/> spread as evenly as they go over <paramref name="allotments"/> rows.</summary>
    public static int[] Spread(int seats, int allotments) =>
        [.. Enumerable.Range(0, allotments).Select(a => seats / allotments + (a < seats % allotments ? 1 : 0))];

    private RushOutcome Run()
    {
        for (var i = 0; i < _scenario.Instances; i++)
        {
            NextVisitors(i, _targets.ConcurrentRequestsPerInstance, 0);
        }

        while (_sessionsOpen > 0 && _events.TryDequeue(out var handle, out var at) && at.Item1 <= MaxSeconds)
        {
            handle(at.Item1);
        }

        var waits = _confirmedWaits.Order().ToArray();
        return new RushOutcome(
            _scenario, _scenario.Capacities.Sum(), _confirmed, _sessionsOpen == 0 ? _lastSoldOutAt : MaxSeconds,
            _transactions, _conflicts, _serverBusy, _answers, _unavailable, _entities, _refusedEarly, _phoneDayEntities, _accountEntities, Percentile(waits, 50), Percentile(waits, 99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private void At(double time, Action<double> handle) => _events.Enqueue(handle, (time, _sequence++));

    private double RoundTrip() => _targets.RoundTripSeconds * (0.5 + _random.NextDouble());

    /// <summary>
    /// <paramref name="count"/> requests answered on instance <paramref name="instance"/>: as many
    /// visitors come in (a returning one first), each a moment later; refused at once if the instance
    /// has seen their session full, else they hold their phone's day and join the session's round.
    /// </summary>
    private void NextVisitors(int instance, int count, double now)
    {
        for (var k = 0; k < count; k++)
        {
            var visitor = _returning.TryPeek(out _, out var ready) && ready <= now
                ? _returning.Dequeue()
                : new Visitor(PickSession(now), now);
            At(now + _random.NextDouble() * 0.002, t =>
            {
                if (_scenario.RefuseSeenFull && _seenFullAt[instance][visitor.Session] <= t)
                {
                    RefuseEarly(instance, t);
                    return;
                }

                At(t + RoundTrip(), held =>
                {
                    _lanes[instance][visitor.Session].Waiting.Enqueue(visitor with { Held = false });
                    StartRound(instance, visitor.Session, held);
                });
            });
        }
    }

    /// <summary>SeatRule.SeenFull: no storage call but the request's Idempotency-Key claim and answer.</summary>
    private void RefuseEarly(int instance, double now)
    {
        _refusedEarly++;
        _answers++;
        _accountEntities += ScaleArithmetic.IdempotencyEntitiesPerRequest;
        if (_scenario.Throttled)
        {
            _account.Take(ScaleArithmetic.IdempotencyEntitiesPerRequest);
        }

        At(now + RoundTrip(), t => NextVisitors(instance, 1, t));
    }

    /// <summary>
    /// A session by popularity among those the visitor page still shows seats for: it reads the
    /// counters through a cache of up to a second, so a session sold out less than a second ago
    /// still looks open.
    /// </summary>
    private int PickSession(double now)
    {
        var shown = Enumerable.Range(0, _popularity.Length).Where(s => _soldOutAt[s] > now - PageCacheSeconds).ToList();
        var pick = _random.NextDouble() * shown.Sum(s => _popularity[s]);
        foreach (var s in shown)
        {
            if ((pick -= _popularity[s]) < 0)
            {
                return s;
            }
        }

        return shown[^1];
    }

    private const double PageCacheSeconds = 1;

    /// <summary>An instance's session counter cache (core/Queries/SessionCounterCache): SeatRule.SeenFull reads it.</summary>
    private const double CounterCacheSeconds = 1;

    private void StartRound(int instance, int session, double now)
    {
        var lane = _lanes[instance][session];
        if (lane.Busy || lane.Waiting.Count == 0)
        {
            return;
        }

        var visitors = new List<Visitor>();
        while (visitors.Count < _maxPerTransaction && lane.Waiting.TryDequeue(out var v))
        {
            visitors.Add(v);
        }

        lane.Busy = true;
        Decide(instance, session, new Round(visitors), now);
    }

    /// <summary>
    /// Picks the round's allotment (not <paramref name="avoid"/>, the one a 412 just came from, when
    /// there is another) and sends its write, after a read of the row unless the instance holds its ETag.
    /// </summary>
    private void Decide(int instance, int session, Round round, double now, int avoid = -1)
    {
        var lane = _lanes[instance][session];
        if (_remaining[session] == 0)
        {
            round.Allotment = -1;
            At(now + RoundTrip(), t => Write(instance, session, round, t));
            return;
        }

        var allotment = Choose(session, lane, avoid);
        var held = lane.Held == allotment;
        round.Allotment = allotment;
        round.Basis = held ? lane.HeldVersion : _version[session][allotment];
        round.Admitted = Math.Min(round.Visitors.Count, _free[session][allotment]);
        At(now + RoundTrip() + (held ? 0 : RoundTrip()), t => Write(instance, session, round, t));
    }

    private int Choose(int session, Lane lane, int avoid)
    {
        var free = _free[session];
        if (_scenario.Choice == AllotmentChoice.Sticky && lane.Sticky >= 0 && lane.Sticky != avoid && free[lane.Sticky] > 0)
        {
            return lane.Sticky;
        }

        var open = Enumerable.Range(0, free.Length).Where(a => free[a] > 0).ToList();
        var others = open.Count > 1 ? open.Where(a => a != avoid).ToList() : open;
        lane.Sticky = others[_random.Next(others.Count)];
        return lane.Sticky;
    }

    /// <summary>The round's write (or, for a full session, its read) reaches storage.</summary>
    private void Write(int instance, int session, Round round, double now)
    {
        var lane = _lanes[instance][session];
        var refusal = round.Allotment < 0;
        var entities = refusal ? 1 : _scenario.Cost.Transaction(round.Admitted);
        // The account also carries each reservation's Codes row, each new request's Idempotency-Key
        // claim and answer and its PhoneDays hold (requests left over from an earlier round paid
        // theirs), and for a refusal each hold given back.
        var fresh = round.Visitors.Count(v => !v.Held);
        var phoneDays = fresh * ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: false) + (refusal ? round.Visitors.Count : 0);
        var accountEntities = entities + (refusal ? 0 : round.Admitted) + ScaleArithmetic.IdempotencyEntitiesPerRequest * fresh + phoneDays;
        if (_scenario.Throttled && !(_partitions[session].Available(now) >= entities && _account.Available(now) >= accountEntities))
        {
            _serverBusy++;
            if (++round.Retries <= _targets.SdkRetries)
            {
                At(now + _targets.SdkDelaySeconds(round.Retries) * (0.8 + 0.4 * _random.NextDouble()) + RoundTrip(), t => Write(instance, session, round, t));
            }
            else
            {
                Unavailable(instance, session, round, now);
            }

            return;
        }

        if (_scenario.Throttled)
        {
            _partitions[session].Take(entities);
            _account.Take(accountEntities);
        }

        _accountEntities += accountEntities;
        _phoneDayEntities += phoneDays;
        for (var v = 0; v < round.Visitors.Count; v++)
        {
            round.Visitors[v] = round.Visitors[v] with { Held = true };
        }

        if (refusal)
        {
            // Each refused request gives its hold back before its answer: one more round trip.
            Answer(instance, session, round.Visitors.Count, now, RoundTrip());
            return;
        }

        if (_version[session][round.Allotment] != round.Basis)
        {
            _conflicts++;
            lane.Held = -1;
            if (++round.Conflicts >= MaxCommitAttempts)
            {
                Unavailable(instance, session, round, now);
                return;
            }

            round.Retries = 0;
            Decide(instance, session, round, now, avoid: _scenario.Choice == AllotmentChoice.Sticky ? round.Allotment : -1);
            return;
        }

        Commit(instance, session, round, now);
        lane.Held = round.Allotment;
        lane.HeldVersion = _version[session][round.Allotment];
        // Requests the allotment had no seat for are decided in the next round.
        foreach (var left in round.Visitors.Skip(round.Admitted))
        {
            lane.Waiting.Enqueue(left);
        }

        Answer(instance, session, round.Admitted, now);
    }

    private void Commit(int instance, int session, Round round, double now)
    {
        _free[session][round.Allotment] -= round.Admitted;
        _version[session][round.Allotment]++;
        _remaining[session] -= round.Admitted;
        _transactions++;
        _confirmed += round.Admitted;
        _entities += _scenario.Cost.Transaction(round.Admitted);
        _confirmedWaits.AddRange(round.Visitors.Take(round.Admitted).Select(v => now - v.Arrived));
        if (_remaining[session] == 0 && round.Admitted > 0)
        {
            _sessionsOpen--;
            _soldOutAt[session] = now;
            _lastSoldOutAt = now;
            // The instance that sold the last seat has the full counter in its cache at once; the
            // others when their cache (a read at most once a second) next reads it.
            for (var i = 0; i < _scenario.Instances; i++)
            {
                _seenFullAt[i][session] = i == instance ? now : now + _random.NextDouble() * CounterCacheSeconds;
            }
        }
    }

    private void Unavailable(int instance, int session, Round round, double now)
    {
        _unavailable += round.Visitors.Count;
        foreach (var visitor in round.Visitors)
        {
            _returning.Enqueue(visitor, now + _targets.RetryAfterSeconds);
        }

        Answer(instance, session, round.Visitors.Count, now);
    }

    /// <summary><paramref name="answered"/> requests of the lane's round have their answer: the lane is free, and as many new requests come in.</summary>
    private void Answer(int instance, int session, int answered, double now, double answeredAfter = 0)
    {
        _answers += answered;
        _lanes[instance][session].Busy = false;
        if (answeredAfter > 0)
        {
            At(now + answeredAfter, t => NextVisitors(instance, answered, t));
        }
        else
        {
            NextVisitors(instance, answered, now);
        }

        StartRound(instance, session, now);
    }

    /// <summary>A visitor's request; <see cref="Held"/>: its PhoneDays hold and key were counted by an earlier round.</summary>
    private sealed record Visitor(int Session, double Arrived, bool Held = false);

    private sealed class Round(List<Visitor> visitors)
    {
        public List<Visitor> Visitors { get; } = visitors;
        public int Allotment { get; set; }
        public long Basis { get; set; }
        public int Admitted { get; set; }
        public int Retries { get; set; }
        public int Conflicts { get; set; }
    }

    /// <summary>One instance's requests for one session and the round it has in flight.</summary>
    private sealed class Lane
    {
        public Queue<Visitor> Waiting { get; } = new();
        public bool Busy { get; set; }
        public int Sticky { get; set; } = -1;
        public int Held { get; set; } = -1;
        public long HeldVersion { get; set; }
    }
}
