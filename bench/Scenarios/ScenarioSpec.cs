using FestivalReservations.Bench.Load;
using FestivalReservations.Core.Catalog;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>One benchmark scenario: its catalog, its sessions and the attempts its clients make.</summary>
public sealed record ScenarioSpec(
    string Name,
    string Tag,
    int Clients,
    IReadOnlyList<ProgramDocument> Programs,
    IReadOnlyList<SessionTarget> Sessions,
    Func<int, IReadOnlyList<Attempt>> Attempts,
    bool ExpectSoldOut)
{
    public int Capacity => Sessions.Sum(s => s.Capacity);

    /// <summary>
    /// Attempts on the warm-up session before measuring (JIT up to its optimised tier, connection
    /// pools): enough for both the app and the clients to reach their steady state, with refusals
    /// as well as admissions (the warm-up session holds <see cref="BenchCatalog.WarmUpCapacity"/>).
    /// </summary>
    public int WarmUpAttempts { get; init; } = DefaultWarmUpAttempts;

    public const int DefaultWarmUpAttempts = 3_000;

    /// <summary>
    /// When set, clients start no attempt and send no retry after this long (see
    /// <see cref="LoadRunner.RunAsync"/>): the run measures a rate, not a sell-out.
    /// </summary>
    public TimeSpan? Bound { get; init; }

    /// <summary>
    /// How long the Single rush runs. Single is the naive peer, kept to compare with: selling 2,000
    /// seats at its 2 or so per second took 20 minutes, and its rate is the same after two of them
    /// (every one of the 256 clients fights over the one counter until the session sells out).
    /// </summary>
    public static readonly TimeSpan SingleRushBound = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The scenario as run in <paramref name="mode"/>: the rush in Single mode is bounded by
    /// <see cref="SingleRushBound"/> (so it is not expected to sell out).
    /// </summary>
    public ScenarioSpec For(string mode) =>
        Name == "rush" && mode == "Single" ? this with { Bound = SingleRushBound, ExpectSoldOut = false } : this;

    /// <summary>A tag that keeps program and session ids of one run apart from every other run's in a shared store.</summary>
    public static string NewTag() => "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>rush: one session, every attempt from a different phone, party of one.</summary>
    public static ScenarioSpec Rush(int attempts, int clients, int capacity, string tag)
    {
        var program = "rush" + tag;
        var session = new SessionTarget(BenchCatalog.SessionId(program, "15:00"), capacity);
        return new ScenarioSpec("rush", tag, clients, [BenchCatalog.Program(program, capacity, ["15:00"])], [session],
            run => Enumerable.Range(0, attempts).Select(i => new Attempt(i, session.SessionId, BenchCatalog.Phone(run, i), 1)).ToList(),
            ExpectSoldOut: attempts >= capacity);
    }

    /// <summary>
    /// spread: every session of one Sunday (programs × four times, capacities from 50 to 400),
    /// attempts drawn by popularity (Zipf, s = 1: the most popular session is asked for twice as
    /// often as the second), party of one or two.
    /// </summary>
    public static ScenarioSpec Spread(int attempts, int clients, int capacity, string tag, int programs = 20)
    {
        var programDocs = new List<ProgramDocument>();
        var sessions = new List<SessionTarget>();
        for (var p = 0; p < programs; p++)
        {
            var id = $"spread{tag}-{p:D2}";
            var sessionCapacity = capacity > 0 ? capacity : 50 * (1 + p % 8);
            programDocs.Add(BenchCatalog.Program(id, sessionCapacity, BenchCatalog.Times));
            sessions.AddRange(BenchCatalog.Times.Select(t => new SessionTarget(BenchCatalog.SessionId(id, t), sessionCapacity)));
        }

        return new ScenarioSpec("spread", tag, clients, programDocs, sessions, run =>
        {
            var random = new Random(run);
            var ranks = sessions.OrderBy(_ => random.Next()).ToList();
            var weights = ranks.Select((_, rank) => 1.0 / (rank + 1)).ToArray();
            var total = weights.Sum();
            var list = new List<Attempt>(attempts);
            for (var i = 0; i < attempts; i++)
            {
                var pick = random.NextDouble() * total;
                var k = 0;
                while (k < weights.Length - 1 && (pick -= weights[k]) > 0)
                {
                    k++;
                }

                list.Add(new Attempt(i, ranks[k].SessionId, BenchCatalog.Phone(run, i), 1 + i % 2));
            }

            return list;
        }, ExpectSoldOut: false);
    }
}

/// <summary>A session of the scenario and its capacity.</summary>
public sealed record SessionTarget(string SessionId, int Capacity);
