using Azure;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// One SMS in SmsLog (PK messageId): who it is for (masked only), its kind and language, attempts,
/// Twilio SID and status. The text is never stored (it can be rendered again from the reservation).
/// </summary>
public sealed record SmsLogEntry
{
    public required string MessageId { get; init; }
    public required string ReservationCode { get; init; }
    public required string SessionId { get; init; }
    public required string Kind { get; init; }
    public required string Language { get; init; }

    /// <summary>The phone as 010-****-5678: never the full number.</summary>
    public required string To { get; init; }

    public required string Status { get; init; }
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public string? TwilioSid { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>While set and in the future, a worker is talking to Twilio about this message: nobody else may.</summary>
    public DateTimeOffset? SendingUntil { get; init; }

    /// <summary>
    /// Set from the claim of an attempt until its outcome is known: when the SID is recorded it is
    /// cleared, when Twilio said no for sure it goes back to what it was. Still set at the next
    /// attempt means an earlier one may have created the message unseen (a lost reply, a timeout,
    /// a crash), so that attempt looks for it first (Twilio has no idempotency key).
    /// </summary>
    public DateTimeOffset? UnconfirmedSince { get; init; }

    /// <summary>
    /// A fresh id with every write of the row: after a write that committed and lost its reply, the
    /// SDK's retry meets the row (409, 412) and finding this id in it says the row is ours.
    /// </summary>
    public string? WriteId { get; init; }

    public ETag ETag { get; init; }

    /// <summary>
    /// The status the row had in storage when this entry was read or written (null for a row this
    /// entry did not come from): which status index row a write moving it on leaves behind. Not stored.
    /// </summary>
    public string? StoredStatus { get; init; }

    /// <summary>Nothing more to send: Twilio has it (a SID or a later status), or it failed and waits for staff.</summary>
    public bool IsSettled => !string.IsNullOrEmpty(TwilioSid) || Status is not SmsStatus.Pending;

    public OutboxMessage ToQueueMessage() => new(MessageId, SessionId, ReservationCode, Kind, CreatedAt);
}
