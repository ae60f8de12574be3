using System.Globalization;
using System.Text;
using FestivalReservations.Testing;

namespace FestivalReservations.Bench.Model;

/// <summary>
/// `bench -- model`: the scale model of docs/scale-model.md. The arithmetic of Azure's targets,
/// the shipped catalog's Sundays, and simulated rushes (one hot session; whole Sundays) with 4 and
/// 40 instances, today's counter design against the allotment design.
/// </summary>
public sealed record ScaleModelReport(
    AzureTargets Targets,
    IReadOnlyList<FestivalSunday> Sundays,
    IReadOnlyList<RushOutcome> HotSession,
    IReadOnlyList<RushOutcome> WholeSundays)
{
    /// <summary>The hot session: the catalog's largest (1,000 seats: the picnic zone's evening, the walking race).</summary>
    public const int HotSessionSeats = 1_000;

    public static readonly IReadOnlyList<int> RoundSizes = [1, 2, 4, 8, 16, 33, 97];

    public static ScaleModelReport Run(AzureTargets? targets = null, string? catalogFile = null)
    {
        targets ??= new AzureTargets();
        var sundays = FestivalSunday.Of(FestivalSunday.Read(catalogFile ?? Path.Combine(RepositoryPaths.Root, "functions", "catalog", "2024-autumn.json")));
        int[] hot = [HotSessionSeats];
        RushScenario[] hotRuns =
        [
            new("one row (today)", 4, hot, WriteCost.Counter, 1, AllotmentChoice.Sticky, Throttled: true),
            new("one row (today)", 40, hot, WriteCost.Counter, 1, AllotmentChoice.Sticky, Throttled: true),
            new("16 allotments, sticky", 4, hot, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: true),
            new("16 allotments, sticky", 40, hot, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: true),
            new("16 allotments, random", 40, hot, WriteCost.Allotments, 16, AllotmentChoice.Random, Throttled: true),
            new("64 allotments, sticky", 40, hot, WriteCost.Allotments, 64, AllotmentChoice.Sticky, Throttled: true),
            new("100 allotments, sticky", 40, hot, WriteCost.Allotments, 100, AllotmentChoice.Sticky, Throttled: true),
            new("16 allotments, sticky, no storage limit", 40, hot, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: false),
        ];
        var busiest = sundays.MaxBy(s => s.Seats)!;
        var typical = sundays.GroupBy(s => s.Seats).MaxBy(g => g.Count())!.First();
        RushScenario[] sundayRuns =
        [
            new($"{typical.Date:MMM d}, one row (today)", 40, typical.Capacities, WriteCost.Counter, 1, AllotmentChoice.Sticky, Throttled: true),
            new($"{typical.Date:MMM d}, 16 allotments", 40, typical.Capacities, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: true),
            new($"{busiest.Date:MMM d}, one row (today)", 40, busiest.Capacities, WriteCost.Counter, 1, AllotmentChoice.Sticky, Throttled: true),
            new($"{busiest.Date:MMM d}, 16 allotments", 40, busiest.Capacities, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: true),
            new($"{busiest.Date:MMM d}, 16 allotments, no early refusal", 40, busiest.Capacities, WriteCost.Allotments, 16, AllotmentChoice.Sticky, Throttled: true, RefuseSeenFull: false),
        ];
        return new ScaleModelReport(targets, sundays,
            [.. hotRuns.Select(r => RushSimulation.Run(r, targets))],
            [.. sundayRuns.Select(r => RushSimulation.Run(r, targets))]);
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var t = Targets;
        var md = new StringBuilder();
        md.AppendLine(c, $"Scale model on Azure's targets: {t.PartitionEntitiesPerSecond:N0} entities/s per partition, {t.AccountEntitiesPerSecond:N0} per account, {t.OperationsPerTransaction} operations per transaction, {t.ConcurrentRequestsPerInstance} concurrent requests per instance, up to {t.MaxInstances} instances; assumed {t.RoundTripSeconds * 1000:0} ms per storage round trip.");
        md.AppendLine();
        md.AppendLine("Entities written per reservation and one session's ceiling, by reservations per transaction (r):");
        md.AppendLine();
        md.AppendLine("| r | one row (today): entities/res. | ceiling res./s | allotments: entities/res. | ceiling res./s |");
        md.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var r in RoundSizes)
        {
            var today = r <= WriteCost.Counter.MaxPerTransaction(t);
            md.AppendLine(c, $"| {r} | {(today ? WriteCost.Counter.PerReservationAt(r).ToString("0.00", c) : "-")} | {(today ? ScaleArithmetic.SessionCeiling(t, WriteCost.Counter, r).ToString("N0", c) : "-")} | {WriteCost.Allotments.PerReservationAt(r):0.00} | {ScaleArithmetic.SessionCeiling(t, WriteCost.Allotments, r):N0} |");
        }

        md.AppendLine();
        md.AppendLine("The fleet, when every request takes one storage round trip:");
        md.AppendLine();
        md.AppendLine("| instances | requests in flight | requests/s | Idempotency-Key entities/s (claim + answer) | PhoneDays entities/s (one hold each) | together: share of the account's target |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var n in new[] { 1, 4, 10, t.MaxInstances })
        {
            var idempotency = ScaleArithmetic.IdempotencyEntitiesPerSecond(t, n);
            var phoneDays = ScaleArithmetic.PhoneDayEntitiesPerSecond(t, n);
            md.AppendLine(c, $"| {n} | {n * t.ConcurrentRequestsPerInstance:N0} | {ScaleArithmetic.FleetRequestsPerSecond(t, n):N0} | {idempotency:N0} | {phoneDays:N0} | {(idempotency + phoneDays) / t.AccountEntitiesPerSecond:P0} |");
        }

        md.AppendLine();
        md.AppendLine(c, $"PhoneDays entities per booking request: {ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: false, refusedAtCommit: false)} when refused before storage (session seen full), {ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: false)} when it reaches the commit, {ScaleArithmetic.PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: true)} when the session then refuses it; {ScaleArithmetic.PhoneDayPartitionsPerDay} partitions per festival day take {ScaleArithmetic.PhoneDayPartitionsCeiling(t):N0} entities/s together, above the account's {t.AccountEntitiesPerSecond:N0}.");

        md.AppendLine();
        md.AppendLine("The shipped catalog's Sundays (booking for all of a Sunday's sessions opens on the Monday before, 10:00):");
        md.AppendLine();
        md.AppendLine("| Sunday | sessions | seats | largest session | sessions of 500+ seats |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var s in Sundays)
        {
            md.AppendLine(c, $"| {s.Date:yyyy-MM-dd} | {s.Sessions} | {s.Seats:N0} | {s.Largest:N0} | {s.Capacities.Count(x => x >= 500)} |");
        }

        md.AppendLine();
        md.AppendLine(c, $"Simulated rush on one {HotSessionSeats:N0}-seat session (visitors never stop coming; until sold out):");
        md.AppendLine();
        Outcomes(md, HotSession, c);
        md.AppendLine();
        md.AppendLine("Simulated rush on a whole Sunday, 40 instances (visitors pick sessions by popularity, Zipf s = 1, among those the page shows open):");
        md.AppendLine();
        Outcomes(md, WholeSundays, c);
        return md.ToString();
    }

    private static void Outcomes(StringBuilder md, IReadOnlyList<RushOutcome> outcomes, CultureInfo c)
    {
        md.AppendLine("| design | instances | seats | sold out after s | confirmed/s | res./tx | entities/res. | 412s/tx | server busy/tx | answers 503 | refused before storage | PhoneDays ent./res. | account ent./res. | wait to confirm p50 / p99 s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var o in outcomes)
        {
            md.AppendLine(c,
                $"| {o.Scenario.Name} | {o.Scenario.Instances} | {o.Confirmed:N0} of {o.Seats:N0} | {o.SoldOutSeconds:0.0} | {o.ConfirmedPerSecond:N0} | {o.ReservationsPerTransaction:0.0} | {o.EntitiesPerReservation:0.00} | {o.ConflictsPerTransaction:0.00} | {o.ServerBusyPerTransaction:0.00} | {o.UnavailableShare:P0} | {o.RefusedEarlyShare:P0} | {o.PhoneDayEntitiesPerReservation:0.00} | {o.AccountEntitiesPerReservation:0.00} | {o.ConfirmedWaitP50Seconds:0.00} / {o.ConfirmedWaitP99Seconds:0.00} |");
        }
    }
}
