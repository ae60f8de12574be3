using Azure.Data.Tables;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// One transaction's worth of drafts, decided in arrival order over one counter read: each draft
/// sees the seats the drafts before it took (the same <see cref="ReservationPlanner.Decide"/> as
/// Single mode). Refusals need no rows and are answered at once; a second draft with a phone already
/// in the batch is a duplicate; drafts whose rows would pass the 100-operation limit wait for the
/// next transaction, as do all after them, so that seats go first come first served. Admitted
/// drafts take the round's codes in order (one shelf, claimed together before the transaction).
/// </summary>
public sealed class BatchPlan
{
    /// <summary>Operations one entity group transaction may hold.</summary>
    public const int MaxOperations = 100;

    private readonly List<Admitted> _admitted = [];
    private readonly List<(PendingDraft Draft, DomainError Error)> _refused = [];
    private readonly List<PendingDraft> _deferred = [];
    private readonly List<TableTransactionAction> _actions = [];

    private BatchPlan()
    {
    }

    /// <summary>A draft that has rows in the transaction: actions [FirstAction, FirstAction + RowCount).</summary>
    public sealed record Admitted(PendingDraft Draft, ReservationPlanner.Plan Plan, ReservationCode Code, int FirstAction)
    {
        public int RowCount => Plan.Rows.Count;

        /// <summary>The phone marker is the planner's second row.</summary>
        public int MarkerAction => FirstAction + 1;
    }

    public IReadOnlyList<Admitted> AdmittedDrafts => _admitted;

    /// <summary>The counter as this transaction writes it.</summary>
    public SessionState Next { get; private set; } = null!;

    public IReadOnlyList<(PendingDraft Draft, DomainError Error)> Refused => _refused;

    /// <summary>Drafts left for the next transaction, in arrival order.</summary>
    public IReadOnlyList<PendingDraft> Deferred => _deferred;

    /// <summary>The counter update (guarded by the ETag that was read) first, then every admitted draft's rows.</summary>
    public IReadOnlyList<TableTransactionAction> Actions => _actions;

    /// <summary>The admitted drafts' codes, to claim before the transaction.</summary>
    public IReadOnlyList<ReservationCode> Codes => _admitted.Select(a => a.Code).ToList();

    /// <summary>
    /// Decides <paramref name="drafts"/> in order over one counter read; <paramref name="codes"/> holds at
    /// least one code per draft, all on one shelf, and the admitted take them in order.
    /// </summary>
    public static BatchPlan Build(SessionSnapshot snapshot, IReadOnlyList<PendingDraft> drafts, IReadOnlyList<ReservationCode> codes, DateTimeOffset now)
    {
        if (codes.Count < drafts.Count)
        {
            throw new ArgumentException("Every draft needs a code to take if admitted.", nameof(codes));
        }

        var plan = new BatchPlan();
        var state = snapshot.State;
        var phones = new HashSet<string>(StringComparer.Ordinal);
        var operations = 1;
        plan._actions.Add(default!); // the counter, filled in once the final state is known
        for (var i = 0; i < drafts.Count; i++)
        {
            var pending = drafts[i];
            if (phones.Contains(pending.Draft.PhoneHash))
            {
                plan._refused.Add((pending, ReservationPlanner.Duplicate()));
                continue;
            }

            var code = codes[plan._admitted.Count];
            var decision = ReservationPlanner.Decide(state, pending.Draft, code, now);
            if (!decision.IsSuccess)
            {
                plan._refused.Add((pending, decision.Error));
                continue;
            }

            var rows = decision.Value.Rows;
            if (operations + rows.Count > MaxOperations)
            {
                plan._deferred.AddRange(drafts.Skip(i));
                break;
            }

            plan._admitted.Add(new Admitted(pending, decision.Value, code, operations));
            plan._actions.AddRange(rows);
            operations += rows.Count;
            phones.Add(pending.Draft.PhoneHash);
            state = decision.Value.Next;
        }

        plan._actions[0] = ReservationPlanner.CounterUpdate(state, snapshot.ETag);
        plan.Next = state;
        return plan;
    }

    /// <summary>The admitted draft that owns the action at <paramref name="index"/> (null for the counter or out of range).</summary>
    public Admitted? OwnerOf(int? index) =>
        index is { } i ? _admitted.FirstOrDefault(a => i >= a.FirstAction && i < a.FirstAction + a.RowCount) : null;

    /// <summary>The row key of the action at <paramref name="index"/>.</summary>
    public string? RowKeyAt(int index) => index >= 0 && index < _actions.Count ? _actions[index].Entity.RowKey : null;

    public static bool IsPhoneMarker(string? rowKey) => rowKey?.StartsWith(SessionRows.PhoneMarkerPrefix, StringComparison.Ordinal) == true;
}
