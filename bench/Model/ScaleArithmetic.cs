namespace FestivalReservations.Bench.Model;

/// <summary>
/// What a commit design writes per reservation: rows of each reservation, and rows every
/// transaction writes whatever it holds (shared by its reservations).
/// </summary>
public sealed record WriteCost(string Name, int PerReservation, int PerTransaction)
{
    /// <summary>Today: the counter (with its ETag) per transaction; reservation, phone marker and outbox row per reservation.</summary>
    public static readonly WriteCost Counter = new("counter (today)", PerReservation: 3, PerTransaction: 1);

    /// <summary>
    /// The allotment design: the reservation row (keyed by the phone hash, its own marker) per
    /// reservation; per transaction the allotment row and one outbox row carrying the round's
    /// messages (≈ 1 + 2/r, as BatchedCommitter.MaxAdmittedPerRound leaves room for).
    /// </summary>
    public static readonly WriteCost Allotments = new("allotments", PerReservation: 1, PerTransaction: 2);

    /// <summary>Entities one transaction of <paramref name="reservations"/> reservations writes.</summary>
    public int Transaction(int reservations) => PerTransaction + PerReservation * reservations;

    /// <summary>Entities per reservation with <paramref name="reservationsPerTransaction"/> per transaction.</summary>
    public double PerReservationAt(double reservationsPerTransaction) => PerReservation + PerTransaction / reservationsPerTransaction;

    /// <summary>The most reservations one transaction can hold within the operation limit.</summary>
    public int MaxPerTransaction(AzureTargets targets) => (targets.OperationsPerTransaction - PerTransaction) / PerReservation;
}

/// <summary>The model's arithmetic: ceilings from Azure's targets, no simulation.</summary>
public static class ScaleArithmetic
{
    /// <summary>Reservations/s one session (one partition) takes at most.</summary>
    public static double SessionCeiling(AzureTargets targets, WriteCost cost, double reservationsPerTransaction) =>
        targets.PartitionEntitiesPerSecond / cost.PerReservationAt(reservationsPerTransaction);

    /// <summary>
    /// Reservations per transaction when an instance's requests all want one session and it has one
    /// round in flight per session: while a round is written, the requests answered by the last one
    /// come back, so a round holds about half of them.
    /// </summary>
    public static double RoundSize(AzureTargets targets) => targets.ConcurrentRequestsPerInstance / 2.0;

    /// <summary>Reservations/s <paramref name="instances"/> instances offer one session when storage keeps up (one round per round trip each).</summary>
    public static double OfferedRate(AzureTargets targets, int instances, double reservationsPerTransaction) =>
        instances * reservationsPerTransaction / targets.RoundTripSeconds;

    /// <summary>How many instances busy on one session reach its partition's ceiling.</summary>
    public static double InstancesToReachCeiling(AzureTargets targets, WriteCost cost, double reservationsPerTransaction) =>
        SessionCeiling(targets, cost, reservationsPerTransaction) / OfferedRate(targets, 1, reservationsPerTransaction);

    /// <summary>Requests/s a fleet answers when each takes one storage round trip: its concurrency over the round trip.</summary>
    public static double FleetRequestsPerSecond(AzureTargets targets, int instances) =>
        instances * targets.ConcurrentRequestsPerInstance / targets.RoundTripSeconds;

    /// <summary>Entities/s the Idempotency-Key claims and stored answers of those requests write (two each, refusals too).</summary>
    public static double IdempotencyEntitiesPerSecond(AzureTargets targets, int instances) => IdempotencyEntitiesPerRequest * FleetRequestsPerSecond(targets, instances);

    /// <summary>Every request with an Idempotency-Key writes its claim and its stored answer, refusals included.</summary>
    public const int IdempotencyEntitiesPerRequest = 2;

    /// <summary>
    /// PhoneDays entities of one booking request (core/Storage/PhoneDayHolds): none when it is
    /// refused before any storage call (the instance saw the session full within the last second,
    /// SeatRule.SeenFull); one, its hold (the phone's first of the day: an insert; later ones: a
    /// read-modify-write), when it reaches the commit; and one more, the hold given back (an
    /// ETag-guarded delete or rewrite), when the session then refuses it.
    /// </summary>
    public static int PhoneDayEntitiesPerRequest(bool reachesCommit, bool refusedAtCommit) =>
        !reachesCommit ? 0 : refusedAtCommit ? 2 : 1;

    /// <summary>Entities/s the PhoneDays holds of the fleet's requests write when every one reaches the commit and is not refused (one each).</summary>
    public static double PhoneDayEntitiesPerSecond(AzureTargets targets, int instances) =>
        PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: false) * FleetRequestsPerSecond(targets, instances);

    /// <summary>PhoneDays partitions per festival day: <c>{yyyyMMdd}-{first hex digit of the phone hash}</c>.</summary>
    public const int PhoneDayPartitionsPerDay = 16;

    /// <summary>Entities/s one day's PhoneDays partitions take together: above the account's target, so the account is the limit.</summary>
    public static double PhoneDayPartitionsCeiling(AzureTargets targets) => PhoneDayPartitionsPerDay * targets.PartitionEntitiesPerSecond;

    /// <summary>
    /// Entities the whole account writes per reservation sold: the session's rows, the reservation's
    /// Codes row, the Idempotency-Key claim and stored answer of every attempt (the visitor page
    /// sends a key with each), refusals included, and the PhoneDays hold of every attempt that
    /// reaches the commit (<paramref name="heldPerSeat"/>, at least the one that got the seat) plus
    /// the hold given back by each of those the session refused; attempts refused before storage
    /// (the session seen full) write their key and nothing else.
    /// </summary>
    public static double AccountEntitiesPerReservation(WriteCost cost, double reservationsPerTransaction, double attemptsPerSeat, double heldPerSeat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heldPerSeat, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(heldPerSeat, attemptsPerSeat);
        return cost.PerReservationAt(reservationsPerTransaction) + 1 + IdempotencyEntitiesPerRequest * attemptsPerSeat
            + PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: false)
            + (heldPerSeat - 1) * PhoneDayEntitiesPerRequest(reachesCommit: true, refusedAtCommit: true);
    }

    /// <summary>Reservations/s the account takes at most, every partition together.</summary>
    public static double AccountCeiling(AzureTargets targets, WriteCost cost, double reservationsPerTransaction, double attemptsPerSeat, double heldPerSeat) =>
        targets.AccountEntitiesPerSecond / AccountEntitiesPerReservation(cost, reservationsPerTransaction, attemptsPerSeat, heldPerSeat);
}
