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
}
