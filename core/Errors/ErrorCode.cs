namespace FestivalReservations.Core.Errors;

/// <summary>The contract's stable error codes (../shared/API.md), one per failure a client can act on.</summary>
public enum ErrorCode
{
    ValidationFailed,
    InvalidPhone,
    NotFound,
    SessionFull,
    DuplicateReservation,
    AlreadyCheckedIn,
    AlreadyCancelled,
    NotConfirmed,
    CapacityBelowReserved,
    BookingNotOpen,
    BookingClosed,
    CancellationClosed,
    IdempotencyKeyReused,
    PayloadTooLarge,
    UnsupportedMediaType,
    Unauthorized,
    TooManyRequests,
    StorageUnavailable,

    /// <summary>403: a Twilio status callback without a valid signature (an addition to the contract).</summary>
    Forbidden,

    /// <summary>409: a lottery draw asked for before its entries closed.</summary>
    DrawNotDue,

    /// <summary>409: staff retried an SMS that has not failed (an addition to the contract).</summary>
    SmsNotFailed,

    /// <summary>409: the reservation's personal data was erased (Privacy:RetentionDays after its session); it can no longer be changed (an addition to the contract).</summary>
    PersonalDataErased,

    /// <summary>409: the phone already holds the most reservations allowed for that festival day.</summary>
    PhoneLimitReached,

    /// <summary>409: the phone already holds a reservation for a session that overlaps this one.</summary>
    OverlappingReservation,

    /// <summary>409: a scanned ticket or code belongs to a session other than the ones the gate checks in (an addition to the contract).</summary>
    WrongSession,
}
