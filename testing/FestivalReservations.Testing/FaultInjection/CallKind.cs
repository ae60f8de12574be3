namespace FestivalReservations.Testing.FaultInjection;

/// <summary>What a storage call does for the app, told from its method, path and body (<see cref="CallClassifier"/>).</summary>
public enum CallKind
{
    /// <summary>An entity group transaction ($batch) on the Sessions table: a commit of a session's partition.</summary>
    SessionTransaction,

    /// <summary>A single insert, update or delete of a Sessions row (seeding a counter, deleting an outbox row).</summary>
    SessionWrite,

    /// <summary>A point read or query of the Sessions table.</summary>
    SessionRead,

    /// <summary>An insert into Codes, single or as a transaction: claiming reservation codes.</summary>
    CodeClaim,

    /// <summary>A delete from Codes, single or as a transaction: releasing codes no reservation took.</summary>
    CodeRelease,

    /// <summary>A point read or query of the Codes table.</summary>
    CodeRead,

    /// <summary>Any call on the Idempotency table: the claim, its read-back, completion, abandoning, the purge.</summary>
    Idempotency,

    /// <summary>Any call on the SmsLog table: the claim insert, status updates, the SID map, reads.</summary>
    SmsLog,

    /// <summary>Any call on the PhoneDays or CodeFailures table: a phone's holds and SMS budget of a day, a code's wrong phones.</summary>
    Limits,

    /// <summary>Putting a message on a queue (POST .../messages).</summary>
    QueueSend,

    /// <summary>Any other queue call: receive, delete, update, create, metadata.</summary>
    QueueOther,

    /// <summary>Everything else: the Catalog table, creating tables, service calls.</summary>
    Other,
}
