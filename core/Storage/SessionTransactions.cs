using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Sessions;

namespace FestivalReservations.Core.Storage;

/// <summary>A run of consecutive steps written in one transaction.</summary>
public readonly record struct StepRange(int Start, int Count);

/// <summary>
/// Turns a session's steps into entity group transactions: the counter first (guarded by its ETag),
/// then each step's rows. Owns the 100-operation limit: steps are packed whole, a transaction never
/// touches one row twice, and a change with more steps than one transaction holds is split.
/// </summary>
public static class SessionTransactions
{
    /// <summary>Operations of a transaction holding these steps (the counter counts one, and so does the outbox row however many SMS it holds).</summary>
    public static int Operations(IEnumerable<SessionStep> steps)
    {
        var list = steps as IReadOnlyCollection<SessionStep> ?? steps.ToList();
        return 1 + list.Sum(s => s.Events.Count(e => e is not SmsOwed)) + (list.Any(OwesSms) ? 1 : 0);
    }

    /// <summary>Whether all of these steps fit in one transaction.</summary>
    public static bool FitInOne(IReadOnlyList<SessionStep> steps) =>
        Operations(steps) <= TableLimits.MaxOperationsPerTransaction && Pack(steps).Count <= 1;

    public static IReadOnlyList<StepRange> Pack(IReadOnlyList<SessionStep> steps)
    {
        var ranges = new List<StepRange>();
        var start = 0;
        var operations = 1;
        var outbox = false;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var keys = steps[i].Events.Where(e => e is not SmsOwed).Select(RowKey).ToList();
            var sms = OwesSms(steps[i]);
            if (1 + keys.Count + (sms ? 1 : 0) > TableLimits.MaxOperationsPerTransaction)
            {
                throw new InvalidOperationException($"One step of {keys.Count} rows cannot fit in a transaction.");
            }

            var added = keys.Count + (sms && !outbox ? 1 : 0);
            if (i > start && (operations + added > TableLimits.MaxOperationsPerTransaction || keys.Any(rows.Contains)))
            {
                ranges.Add(new StepRange(start, i - start));
                start = i;
                operations = 1;
                outbox = false;
                rows.Clear();
                added = keys.Count + (sms ? 1 : 0);
            }

            operations += added;
            outbox |= sms;
            rows.UnionWith(keys);
        }

        if (steps.Count > 0)
        {
            ranges.Add(new StepRange(start, steps.Count - start));
        }

        return ranges;
    }

    /// <summary>The transaction's operations; every row it writes carries <paramref name="changeId"/> (see <see cref="SessionStore.ChangeIdColumn"/>).</summary>
    public static List<TableTransactionAction> Actions(
        string sessionId, IReadOnlyList<SessionStep> steps, StepRange range, ETag counterETag, IReadOnlyDictionary<string, ETag> reservationETags,
        string changeId)
    {
        var last = steps[range.Start + range.Count - 1];
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(last.After), counterETag),
        };
        for (var i = range.Start; i < range.Start + range.Count; i++)
        {
            actions.AddRange(steps[i].Events.Where(e => e is not SmsOwed).Select(e => Action(sessionId, e, reservationETags)));
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

    /// <summary>The step and event behind the action at <paramref name="actionIndex"/> of a transaction (null for the counter, the outbox row or unknown).</summary>
    public static (int? Step, SessionEvent? Event) Locate(IReadOnlyList<SessionStep> steps, StepRange range, int? actionIndex)
    {
        if (actionIndex is not { } index || index < 1)
        {
            return (null, null);
        }

        var position = 1;
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
