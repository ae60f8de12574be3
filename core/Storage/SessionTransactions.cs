using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>A run of consecutive steps written in one transaction.</summary>
public readonly record struct StepRange(int Start, int Count);

/// <summary>The versions a session's rows were loaded at: what its writes are guarded by.</summary>
public sealed record SessionVersions(
    ETag Counter, IReadOnlyDictionary<string, ETag> Reservations, IReadOnlyDictionary<int, ETag> Allotments)
{
    /// <summary>By reservation code, the row each loaded reservation lives in.</summary>
    public IReadOnlyDictionary<string, string> ReservationRows { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// Turns a session's steps into entity group transactions: first the head rows, each written once
/// in its last state and guarded by its ETag — the counter when the steps change it (or when no
/// allotment guards them), and every allotment they change — then each step's rows. Owns the
/// 100-operation limit: steps are packed whole, a transaction never touches one row twice, and a
/// change with more steps than one transaction holds is split. Allotments change in the first
/// transaction only.
/// </summary>
public static class SessionTransactions
{
    /// <summary>Operations of a transaction holding these steps (head rows, each step's rows, and one outbox row however many SMS it holds).</summary>
    public static int Operations(IEnumerable<SessionStep> steps)
    {
        var list = steps as IReadOnlyList<SessionStep> ?? steps.ToList();
        return Heads(list, new StepRange(0, list.Count)).Count + list.Sum(s => Ops(s, NoRows).Count) + (list.Any(OwesSms) ? 1 : 0);
    }

    /// <summary>Whether all of these steps fit in one transaction.</summary>
    public static bool FitInOne(IReadOnlyList<SessionStep> steps)
    {
        var keys = steps.SelectMany(s => Ops(s, NoRows)).Select(o => o.RowKey).ToList();
        return Operations(steps) <= TableLimits.MaxOperationsPerTransaction && keys.Distinct(StringComparer.Ordinal).Count() == keys.Count;
    }

    /// <summary>Packs steps into transactions; <paramref name="rows"/>: by code, the row each loaded reservation lives in (see <see cref="SessionVersions.ReservationRows"/>).</summary>
    public static IReadOnlyList<StepRange> Pack(IReadOnlyList<SessionStep> steps, IReadOnlyDictionary<string, string>? rows = null)
    {
        rows ??= NoRows;
        var ranges = new List<StepRange>();
        var start = 0;
        var outbox = false;
        var written = new HashSet<string>(StringComparer.Ordinal);
        var allotments = new HashSet<int>();
        var counterChanged = false;
        var eventRows = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var keys = Ops(steps[i], rows).Select(o => o.RowKey).ToList();
            var sms = OwesSms(steps[i]);
            var stepAllotments = steps[i].Allotments.Select(a => a.After.Index).ToList();
            if (1 + stepAllotments.Count + keys.Count + (sms ? 1 : 0) > TableLimits.MaxOperationsPerTransaction)
            {
                throw new InvalidOperationException($"One step of {keys.Count} rows cannot fit in a transaction.");
            }

            var withStep = allotments.Union(stepAllotments).Count();
            var heads = withStep + (counterChanged || steps[i].ChangesCounter || withStep == 0 ? 1 : 0);
            var outboxRow = outbox || sms ? 1 : 0;
            if (i > start && (heads + eventRows + keys.Count + outboxRow > TableLimits.MaxOperationsPerTransaction || keys.Any(written.Contains)))
            {
                if (stepAllotments.Count > 0)
                {
                    throw new InvalidOperationException("A change moves allotment seats in its first transaction only.");
                }

                ranges.Add(new StepRange(start, i - start));
                start = i;
                eventRows = 0;
                written.Clear();
                allotments.Clear();
                counterChanged = false;
                outbox = false;
            }

            counterChanged |= steps[i].ChangesCounter;
            eventRows += keys.Count;
            outbox |= sms;
            written.UnionWith(keys);
            allotments.UnionWith(stepAllotments);
        }

        if (steps.Count > 0)
        {
            ranges.Add(new StepRange(start, steps.Count - start));
        }

        return ranges;
    }

    /// <summary>The head rows of a range: the counter (null when the range leaves it alone) and each changed allotment in its last state.</summary>
    public static IReadOnlyList<Head> Heads(IReadOnlyList<SessionStep> steps, StepRange range)
    {
        var heads = new List<Head>();
        var changed = new SortedDictionary<int, AllotmentChange>();
        var counterChanged = false;
        for (var i = range.Start; i < range.Start + range.Count; i++)
        {
            counterChanged |= steps[i].ChangesCounter;
            foreach (var change in steps[i].Allotments)
            {
                changed[change.After.Index] = changed.TryGetValue(change.After.Index, out var first)
                    ? change with { Before = first.Before }
                    : change;
            }
        }

        if (counterChanged || changed.Count == 0)
        {
            heads.Add(new Head(null, null));
        }

        heads.AddRange(changed.Values.Select(c => new Head(c.After, c.Before is null)));
        return heads;
    }

    /// <summary>A head row: the counter (<see cref="Allotment"/> null) or an allotment, added when <see cref="Creates"/>.</summary>
    public sealed record Head(Reservations.Allotment? Allotment, bool? Creates);

    /// <summary>The transaction's operations; every row it writes carries <paramref name="changeId"/> (see <see cref="SessionStore.ChangeIdColumn"/>).</summary>
    public static List<TableTransactionAction> Actions(
        string sessionId, IReadOnlyList<SessionStep> steps, StepRange range, SessionVersions versions, string changeId)
    {
        var last = steps[range.Start + range.Count - 1];
        var actions = new List<TableTransactionAction>();
        foreach (var head in Heads(steps, range))
        {
            actions.Add(head.Allotment is not { } allotment
                ? new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(last.After), versions.Counter)
                : head.Creates == true
                    ? new(TableTransactionActionType.Add, SessionEntities.ToEntity(sessionId, allotment))
                    : new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(sessionId, allotment),
                        versions.Allotments.TryGetValue(allotment.Index, out var etag) ? etag : ETag.All));
        }

        for (var i = range.Start; i < range.Start + range.Count; i++)
        {
            actions.AddRange(Ops(steps[i], versions.ReservationRows).Select(o => o.Build(sessionId, versions.Reservations)));
        }

        // Every SMS of the transaction in one row, last: its key is this transaction's own.
        if (OutboxRows.Of(sessionId, steps, range, changeId) is { } outbox)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, OutboxRows.ToEntity(outbox)));
        }

        foreach (var action in actions.Where(a => a.ActionType != TableTransactionActionType.Delete))
        {
            ((TableEntity)action.Entity)[SessionStore.ChangeIdColumn] = changeId;
        }

        return actions;
    }

    /// <summary>The step and event behind the action at <paramref name="actionIndex"/> of a transaction (null for a head row, the outbox row or unknown).</summary>
    public static (int? Step, SessionEvent? Event) Locate(IReadOnlyList<SessionStep> steps, StepRange range, int? actionIndex)
    {
        var heads = Heads(steps, range).Count;
        if (actionIndex is not { } index || index < heads)
        {
            return (null, null);
        }

        var position = heads;
        for (var i = range.Start; i < range.Start + range.Count; i++)
        {
            var ops = Ops(steps[i], NoRows);
            if (index < position + ops.Count)
            {
                return (i, ops[index - position].Event);
            }

            position += ops.Count;
        }

        return (null, null);
    }

    private static readonly IReadOnlyDictionary<string, string> NoRows = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>One table operation of a step: the row, the event it stands for, and how to build it.</summary>
    private sealed record RowOp(string RowKey, SessionEvent Event, Func<string, IReadOnlyDictionary<string, ETag>, TableTransactionAction> Build);

    /// <summary>
    /// A step's rows (its SMS go to the transaction's outbox row). A reservation added with its
    /// phone's marker is one row: the phone's row holds the reservation, so the one booking per
    /// phone costs no row of its own. A reservation in its phone's row whose marker the step removes
    /// (a cancellation, an erasure) moves under its code. Other rows are where they were loaded.
    /// </summary>
    private static List<RowOp> Ops(SessionStep step, IReadOnlyDictionary<string, string> rows)
    {
        var ops = new List<RowOp>(step.Events.Count);
        var added = step.Events.OfType<ReservationAdded>().Select(a => a.Reservation.Code).ToHashSet(StringComparer.Ordinal);
        var markers = step.Events.OfType<PhoneMarkerAdded>().Where(m => added.Contains(m.Code)).ToDictionary(m => m.Code, StringComparer.Ordinal);
        var removed = step.Events.OfType<PhoneMarkerRemoved>().Select(m => SessionRows.PhoneMarker(m.PhoneHash)).ToHashSet(StringComparer.Ordinal);
        string RowOf(string code) => markers.TryGetValue(code, out var m) ? SessionRows.PhoneMarker(m.PhoneHash)
            : rows.GetValueOrDefault(code) ?? SessionRows.Reservation(code);
        foreach (var e in step.Events)
        {
            switch (e)
            {
                case SmsOwed:
                    break;
                case ReservationAdded a when markers.TryGetValue(a.Reservation.Code, out var marker):
                    var own = SessionRows.PhoneMarker(marker.PhoneHash);
                    ops.Add(new(own, marker, (_, _) => new(TableTransactionActionType.Add, SessionEntities.ToRow(a.Reservation, own))));
                    break;
                case ReservationAdded a:
                    ops.Add(new(SessionRows.Reservation(a.Reservation.Code), e,
                        (_, _) => new(TableTransactionActionType.Add, SessionEntities.ToEntity(a.Reservation))));
                    break;
                case PhoneMarkerAdded m when added.Contains(m.Code):
                    break;
                case PhoneMarkerAdded m:
                    ops.Add(new(SessionRows.PhoneMarker(m.PhoneHash), e,
                        (sid, _) => new(TableTransactionActionType.Add, SessionEntities.PhoneMarker(sid, m.PhoneHash, m.Code))));
                    break;
                case ReservationUpdated u when removed.Contains(RowOf(u.Reservation.Code)):
                    // Its phone's row goes with the marker: the reservation is kept under its code.
                    var byCode = SessionRows.Reservation(u.Reservation.Code);
                    ops.Add(new(byCode, e, (_, _) => new(TableTransactionActionType.Add, SessionEntities.ToRow(u.Reservation, byCode))));
                    break;
                case ReservationUpdated u:
                    var at = RowOf(u.Reservation.Code);
                    ops.Add(new(at, e, (_, etags) => new(TableTransactionActionType.UpdateReplace, SessionEntities.ToRow(u.Reservation, at),
                        etags.TryGetValue(u.Reservation.Code, out var etag) ? etag : ETag.All)));
                    break;
                case ReservationPromoted p:
                    var waiting = RowOf(p.Code);
                    ops.Add(new(waiting, e, (sid, _) => new(TableTransactionActionType.UpdateMerge, SessionEntities.Promotion(sid, waiting, p.At), ETag.All)));
                    break;
                case PhoneMarkerRemoved m:
                    ops.Add(new(SessionRows.PhoneMarker(m.PhoneHash), e,
                        (sid, _) => new(TableTransactionActionType.Delete, new TableEntity(sid, SessionRows.PhoneMarker(m.PhoneHash)), ETag.All)));
                    break;
                case WaitlistTicketAdded t:
                    var holder = RowOf(t.Ticket.Code);
                    ops.Add(new(SessionRows.Waitlist(t.Ticket.Seq), e,
                        (sid, _) => new(TableTransactionActionType.Add, SessionEntities.ToEntity(sid, t.Ticket, holder))));
                    break;
                case WaitlistTicketMoved t:
                    var underCode = SessionRows.Reservation(t.Ticket.Code);
                    ops.Add(new(SessionRows.Waitlist(t.Ticket.Seq), e, (sid, _) => new(TableTransactionActionType.UpdateReplace,
                        SessionEntities.ToEntity(sid, t.Ticket, underCode), ETag.All)));
                    break;
                case WaitlistTicketRemoved t:
                    ops.Add(new(SessionRows.Waitlist(t.Seq), e,
                        (sid, _) => new(TableTransactionActionType.Delete, new TableEntity(sid, SessionRows.Waitlist(t.Seq)), ETag.All)));
                    break;
                default:
                    throw new InvalidOperationException($"No row mapping for {e.GetType().Name}.");
            }
        }

        return ops;
    }

    private static bool OwesSms(SessionStep step) => step.Events.Any(e => e is SmsOwed);
}
