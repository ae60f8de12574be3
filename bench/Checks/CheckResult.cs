namespace FestivalReservations.Bench.Checks;

/// <summary>
/// What the store holds after a run, against what the clients were told. Oversold: seats beyond a
/// session's capacity. Duplicates: a phone holding two active reservations in one session, or a
/// phone confirmed twice by the API. Counter mismatches: sessions whose counter differs from its
/// rows. Lost confirmations: 201s whose reservation is not stored. Missing SMS: stored reservations
/// with neither an outbox row, nor an sms queue message, nor an SmsLog row. OutboxRows: SMS still
/// held by outbox rows (one row holds a transaction's SMS).
/// </summary>
public sealed record CheckResult(
    int StoredReservations,
    int StoredSeats,
    int CounterSeats,
    int Oversold,
    int Duplicates,
    int CounterMismatches,
    int LostConfirmations,
    int UnansweredCommits,
    int OutboxRows,
    int QueueMessages,
    int SmsLogRows,
    int MissingSms,
    bool? SoldOutExactly)
{
    public bool Passed => Oversold == 0 && Duplicates == 0 && CounterMismatches == 0 && LostConfirmations == 0 && MissingSms == 0
        && SoldOutExactly != false;

    public string Summary => Passed
        ? "pass"
        : string.Join(", ", new[]
        {
            Oversold > 0 ? $"oversold {Oversold}" : null,
            Duplicates > 0 ? $"duplicates {Duplicates}" : null,
            CounterMismatches > 0 ? $"counter≠rows {CounterMismatches}" : null,
            LostConfirmations > 0 ? $"lost {LostConfirmations}" : null,
            MissingSms > 0 ? $"no SMS record {MissingSms}" : null,
            SoldOutExactly == false ? $"sold {CounterSeats}, not capacity" : null,
        }.Where(s => s is not null));
}
