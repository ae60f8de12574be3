using Azure.Data.Tables;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// Decides one draft against a session's counter and lists the rows that record the decision: the
/// reservation, the phone marker, the waitlist ticket when waitlisted, and the outbox message.
/// Both commit modes use it, so they cannot disagree on a rule.
/// </summary>
public static class ReservationPlanner
{
    /// <summary>Rows written per reservation at most (reservation, marker, outbox, waitlist ticket).</summary>
    public const int MaxRowsPerReservation = 4;

    public sealed record Plan(SessionState Next, CommittedReservation Committed, IReadOnlyList<TableTransactionAction> Rows);

    /// <summary>The draft against the counter; if admitted, its reservation gets <paramref name="code"/>.</summary>
    public static Result<Plan> Decide(SessionState session, ReservationDraft draft, ReservationCode code, DateTimeOffset now)
    {
        if (BookingWindowRule.Check(session, now) is { } closed)
        {
            return closed;
        }

        var party = draft.Reservation.PartySize;
        var admission = SeatRule.Admit(session, party, draft.JoinWaitlist, draft.SkipAhead);
        if (!admission.IsSuccess)
        {
            return admission.Error;
        }

        SessionState next;
        Reservation reservation;
        int? position = null;
        var rows = new List<TableTransactionAction>(MaxRowsPerReservation);
        if (admission.Value == Admission.Confirmed)
        {
            next = session with { Reserved = session.Reserved + party };
            reservation = draft.Reservation with { Code = code.Value, Status = ReservationStatus.Confirmed, WaitlistSeq = null };
        }
        else
        {
            var seq = session.NextWaitlistSeq;
            next = session with
            {
                Waitlisted = session.Waitlisted + party,
                WaitlistParties = session.WaitlistParties + 1,
                NextWaitlistSeq = seq + 1,
            };
            reservation = draft.Reservation with { Code = code.Value, Status = ReservationStatus.Waitlisted, WaitlistSeq = seq };
            position = session.WaitlistParties + 1;
            rows.Add(new(TableTransactionActionType.Add, SessionEntities.WaitlistTicket(session.SessionId, seq, reservation.Code, party)));
        }

        var kind = reservation.Status == ReservationStatus.Confirmed ? SmsKind.Confirmed : SmsKind.Waitlisted;
        var message = OutboxMessage.For(session.SessionId, reservation.Code, kind, now);
        rows.Insert(0, new(TableTransactionActionType.Add, SessionEntities.ToEntity(reservation)));
        rows.Insert(1, new(TableTransactionActionType.Add, SessionEntities.PhoneMarker(session.SessionId, draft.PhoneHash, reservation.Code)));
        rows.Add(new(TableTransactionActionType.Add, SessionEntities.ToEntity(session.SessionId, message)));
        return new Plan(next, new CommittedReservation(reservation, message, position), rows);
    }

    /// <summary>The counter write that guards a transaction: fails with 412 if anyone wrote it since it was read.</summary>
    public static TableTransactionAction CounterUpdate(SessionState next, Azure.ETag etag) =>
        new(TableTransactionActionType.UpdateReplace, SessionEntities.ToEntity(next), etag);

    public static DomainError Duplicate() =>
        new(ErrorCode.DuplicateReservation, "This phone already holds an active reservation for this session.");
}
