using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>Only a confirmed reservation can be checked in; a second scan is told when the first one was.</summary>
public static class CheckInRule
{
    public static DomainError? Check(Reservation reservation) => reservation.Status switch
    {
        ReservationStatus.Confirmed => null,
        ReservationStatus.CheckedIn => new DomainError(ErrorCode.AlreadyCheckedIn, "This reservation has already been checked in.")
        {
            // The first scan's time, and the device that made it when it said (a tablet that synced an offline scan).
            Extensions = reservation.CheckInDevice is { } device
                ? new Dictionary<string, object?> { ["checkedInAt"] = FirstScan(reservation), ["device"] = device }
                : new Dictionary<string, object?> { ["checkedInAt"] = FirstScan(reservation) },
        },
        ReservationStatus.Cancelled => new DomainError(ErrorCode.AlreadyCancelled, "This reservation was cancelled."),
        ReservationStatus.Waitlisted => new DomainError(ErrorCode.NotConfirmed, "This reservation is on the waitlist, not confirmed.")
        {
            Extensions = new Dictionary<string, object?> { ["reservationStatus"] = ReservationStatus.Waitlisted },
        },
        ReservationStatus.Entered or ReservationStatus.NotSelected => new DomainError(ErrorCode.NotConfirmed,
            reservation.Status == ReservationStatus.Entered ? "This lottery entry has not been drawn yet." : "This lottery entry was not selected in the draw.")
        {
            Extensions = new Dictionary<string, object?> { ["reservationStatus"] = reservation.Status },
        },
        // A no-show was marked after the session ended; it is not confirmed any more (see README).
        _ => new DomainError(ErrorCode.NotConfirmed, "This reservation was marked as a no-show after the session ended.")
        {
            Extensions = new Dictionary<string, object?> { ["reservationStatus"] = reservation.Status },
        },
    };

    private static string? FirstScan(Reservation reservation) =>
        reservation.CheckedInAt is { } at ? FestivalTime.FormatUtc(at) : null;
}
