using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// One transaction's worth of drafts, decided in arrival order on one <see cref="Session"/> over
/// one counter read: each draft sees the seats the drafts before it took (the same
/// <see cref="Session.Reserve"/> as Single mode). Refusals need no rows and are answered at once;
/// a second draft with a phone already in the batch is a duplicate; a draft whose rows would not fit
/// in the transaction waits for the next one, as do all after it, so that seats go first come first
/// served. Admitted drafts take the round's codes in order (one shelf, claimed together before the
/// transaction).
/// </summary>
public sealed class BatchPlan
{
    private readonly List<Admitted> _admitted = [];
    private readonly List<(PendingDraft Draft, DomainError Error)> _refused = [];
    private readonly List<PendingDraft> _deferred = [];

    private BatchPlan(LoadedSession loaded) => Loaded = loaded;

    /// <summary>A draft that has rows in the transaction: step <paramref name="Step"/> of the session.</summary>
    public sealed record Admitted(PendingDraft Draft, CommittedReservation Committed, ReservationCode Code, int Step);

    public IReadOnlyList<Admitted> AdmittedDrafts => _admitted;

    /// <summary>The session with every admitted draft's step, ready for the store.</summary>
    public LoadedSession Loaded { get; }

    /// <summary>The counter as this transaction writes it.</summary>
    public SessionState Next => Loaded.Session.State;

    public IReadOnlyList<(PendingDraft Draft, DomainError Error)> Refused => _refused;

    /// <summary>Drafts left for the next transaction, in arrival order.</summary>
    public IReadOnlyList<PendingDraft> Deferred => _deferred;

    /// <summary>The admitted drafts' codes, to claim before the transaction.</summary>
    public IReadOnlyList<ReservationCode> Codes => _admitted.Select(a => a.Code).ToList();

    /// <summary>
    /// Decides <paramref name="drafts"/> in order over one counter read; <paramref name="codes"/> holds at
    /// least one code per draft, all on one shelf, and the admitted take them in order.
    /// </summary>
    /// <remarks>
    /// Before the drafts, the counter's free seats are spread over the session's allotments when
    /// <see cref="AllotmentRule"/> says so; the drafts then take seats from the allotment at
    /// <paramref name="allotmentOrder"/> (the first that has room), and the counter is written only when one of them
    /// needs it.
    /// </remarks>
    public static BatchPlan Build(SessionSnapshot snapshot, IReadOnlyList<PendingDraft> drafts, IReadOnlyList<ReservationCode> codes, DateTimeOffset now,
        ReservationOptions? options = null, IReadOnlyList<int>? allotmentOrder = null)
    {
        if (codes.Count < drafts.Count)
        {
            throw new ArgumentException("Every draft needs a code to take if admitted.", nameof(codes));
        }

        var plan = new BatchPlan(LoadedSession.FromSnapshot(snapshot));
        var session = plan.Loaded.Session;
        if (options is not null && AllotmentRule.ToDistribute(session.State, options) is var count and > 0)
        {
            session.DistributeToAllotments(count, now);
        }

        session.PreferAllotments(allotmentOrder ?? []);
        int? roundAllotment = null;
        for (var i = 0; i < drafts.Count; i++)
        {
            var pending = drafts[i];
            var code = codes[plan._admitted.Count];
            var decision = session.Reserve(pending.Draft, code, now);
            if (!decision.IsSuccess)
            {
                plan._refused.Add((pending, decision.Error));
                continue;
            }

            if (!SessionTransactions.FitInOne(session.Steps) || LeavesTheRoundsAllotment(session.Steps[^1], ref roundAllotment))
            {
                session.TakeBackLastReservation();
                plan._deferred.AddRange(drafts.Skip(i));
                break;
            }

            plan._admitted.Add(new Admitted(pending, decision.Value, code, session.Steps.Count - 1));
        }

        return plan;
    }

    /// <summary>
    /// Whether a reservation taken from an allotment is the round's second allotment: the round
    /// stops at the first one's last seat and the rest wait for the next round, which reads first
    /// and picks an allotment nobody else is on. (A round that wrote two allotments would meet
    /// whichever instance booking the second one, and its 412 would cost the whole round.)
    /// </summary>
    private static bool LeavesTheRoundsAllotment(SessionStep step, ref int? roundAllotment)
    {
        if (step.ChangesCounter || step.Allotments is not [var taken])
        {
            return false;
        }

        roundAllotment ??= taken.After.Index;
        return roundAllotment != taken.After.Index;
    }

    /// <summary>The allotment rows this plan writes.</summary>
    public IReadOnlySet<int> AllotmentsWritten => Loaded.Session.Steps.SelectMany(s => s.Allotments).Select(a => a.After.Index).ToHashSet();

    /// <summary>Allotment rows whose seats this plan moves to or from the counter.</summary>
    public int AllotmentMoves => Loaded.Session.Steps.Where(s => s.ChangesCounter).Sum(s => s.Allotments.Count);

    /// <summary>The admitted draft whose step failed (null when storage did not say).</summary>
    public Admitted? OwnerOf(int? step) => step is { } s ? _admitted.FirstOrDefault(a => a.Step == s) : null;
}
