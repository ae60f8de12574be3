using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>A run of consecutive steps written in one transaction.</summary>
public readonly record struct StepRange(int Start, int Count);

/// <summary>The versions a session's rows were loaded at: what its writes are guarded by.</summary>
public sealed record SessionVersions(
    ETag Counter, IReadOnlyDictionary<string, ETag> Reservations, IReadOnlyDictionary<int, ETag> Allotments);

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
        return Heads(list, new StepRange(0, list.Count)).Count + list.Sum(s => s.Events.Count(e => e is not SmsOwed)) + (list.Any(OwesSms) ? 1 : 0);
    }

    /// <summary>Whether all of these steps fit in one transaction.</summary>
    public static bool FitInOne(IReadOnlyList<SessionStep> steps)
    {
        var keys = steps.SelectMany(s => s.Events).Where(e => e is not SmsOwed).Select(RowKey).ToList();
        return Operations(steps) <= TableLimits.MaxOperationsPerTransaction && keys.Distinct(StringComparer.Ordinal).Count() == keys.Count;
    }

    public static IReadOnlyList<StepRange> Pack(IReadOnlyList<SessionStep> steps)
    {
        var ranges = new List<StepRange>();
        var start = 0;
        var outbox = false;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var allotments = new HashSet<int>();
        var counterChanged = false;
        var eventRows = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var keys = steps[i].Events.Where(e => e is not SmsOwed).Select(RowKey).ToList();
            var sms = OwesSms(steps[i]);
            var stepAllotments = steps[i].Allotments.Select(a => a.After.Index).ToList();
            if (1 + stepAllotments.Count + keys.Count + (sms ? 1 : 0) > TableLimits.MaxOperationsPerTransaction)
            {
                throw new InvalidOperationException($"One step of {keys.Count} rows cannot fit in a transaction.");
            }

            var withStep = allotments.Union(stepAllotments).Count();
            var heads = withStep + (counterChanged || steps[i].ChangesCounter || withStep == 0 ? 1 : 0);
            var outboxRow = outbox || sms ? 1 : 0;
            if (i > start && (heads + eventRows + keys.Count + outboxRow > TableLimits.MaxOperationsPerTransaction || keys.Any(rows.Contains)))
            {
                if (stepAllotments.Count > 0)
                {
                    throw new InvalidOperationException("A change moves allotment seats in its first transaction only.");
                }

                ranges.Add(new StepRange(start, i - start));
                start = i;
                eventRows = 0;
                rows.Clear();
                allotments.Clear();
                counterChanged = false;
                outbox = false;
            }

            counterChanged |= steps[i].ChangesCounter;
            eventRows += keys.Count;
            outbox |= sms;
            rows.UnionWith(keys);
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
            actions.AddRange(steps[i].Events.Where(e => e is not SmsOwed).Select(e => Action(sessionId, e, versions.Reservations)));
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
            var events = steps[i].Events.Where(e => e is not SmsOwed).ToList();
            if (index < position + events.Count)
            {
                return (i, events[index - position]);
            }

            position += events.Count;
        }

        return (null, null);
    }

    private static TableTransactionAction Action(string sessionId, SessionEvent e, IReadOnlyDictionary<string, ETag> reservationETags) => e switch
    {
        ReservationAdded a => new(TableTransactionActionType.Add, SessionEntities.ToEntity(a.Reservation)),
        ReservationUpdated u => new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(u.Reservation),
            reservationETags.TryGetValue(u.Reservation.Code, out var etag) ? etag : ETag.All),
        ReservationPromoted p => new(TableTransactionActionType.UpdateMerge, SessionEntities.Promotion(sessionId, p.Code, p.At), ETag.All),
        PhoneMarkerAdded m => new(TableTransactionActionType.Add, SessionEntities.PhoneMarker(sessionId, m.PhoneHash, m.Code)),
        PhoneMarkerRemoved m => new(TableTransactionActionType.Delete, new TableEntity(sessionId, SessionRows.PhoneMarker(m.PhoneHash)), ETag.All),
        WaitlistTicketAdded t => new(TableTransactionActionType.Add, SessionEntities.ToEntity(sessionId, t.Ticket)),
        WaitlistTicketRemoved t => new(TableTransactionActionType.Delete, new TableEntity(sessionId, SessionRows.Waitlist(t.Seq)), ETag.All),
        _ => throw new InvalidOperationException($"No row mapping for {e.GetType().Name}."),
    };

    private static string RowKey(SessionEvent e) => e switch
    {
        ReservationAdded a => SessionRows.Reservation(a.Reservation.Code),
        ReservationUpdated u => SessionRows.Reservation(u.Reservation.Code),
        ReservationPromoted p => SessionRows.Reservation(p.Code),
        PhoneMarkerAdded m => SessionRows.PhoneMarker(m.PhoneHash),
        PhoneMarkerRemoved m => SessionRows.PhoneMarker(m.PhoneHash),
        WaitlistTicketAdded t => SessionRows.Waitlist(t.Ticket.Seq),
        WaitlistTicketRemoved t => SessionRows.Waitlist(t.Seq),
        _ => throw new InvalidOperationException($"No row key for {e.GetType().Name}."),
    };

    private static bool OwesSms(SessionStep step) => step.Events.Any(e => e is SmsOwed);
}
