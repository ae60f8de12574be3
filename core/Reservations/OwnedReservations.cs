using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// A visitor's own reservation: the one behind a code, if the phone is the one it was made with;
/// otherwise not-found, the same either way (a wrong phone tells nothing about the code). Wrong
/// phones are counted per code and lock it for a while (<see cref="CodeLockout"/>).
/// </summary>
public sealed class OwnedReservations(
    CatalogService catalog, CodeDirectory codes, SessionStore sessions, PhoneHasher phoneHasher, CodeLockout lockout, TicketSigner tickets)
{
    /// <summary>
    /// The active reservation this request's phone holds in the session, as the visitor would see it
    /// (by the phone's marker and the reservation it names); null when there is none.
    /// </summary>
    public async Task<ReservationView?> FindStandingAsync(string sessionId, ReservationRequest request, CancellationToken cancellationToken)
    {
        if (!KoreanMobile.TryParse(request.Phone, out var mobile)
            || await sessions.ReadAsync(sessionId, phoneHasher.Hash(mobile.E164), cancellationToken) is not { PhoneMarkerCode: { } code }
            || await sessions.GetReservationAsync(sessionId, code, cancellationToken, phoneHasher.Hash(mobile.E164)) is not var (reservation, _)
            || reservation.Phone != mobile.E164 || !reservation.IsActive)
        {
            return null;
        }

        var festival = await catalog.GetAsync(cancellationToken);
        int? position = null;
        if (reservation.Status == ReservationStatus.Waitlisted
            && await sessions.LoadAsync(sessionId, new SessionLoad { Waitlist = true }, cancellationToken) is { } loaded)
        {
            position = loaded.Session.WaitlistPosition(reservation);
        }

        return reservation.ToView(festival, position, tickets);
    }

    public async Task<Result<(Reservation Reservation, Festival Festival)>> FindAsync(
        string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            return DomainError.Validation("phone", "Enter the mobile number the reservation was made with.");
        }

        var notFound = DomainError.NotFound("reservation");
        if (!ReservationCode.TryParse(code, out var parsed))
        {
            return notFound;
        }

        if (await lockout.RefusalAsync(parsed, cancellationToken) is { } locked)
        {
            return locked;
        }

        if (!KoreanMobile.TryParse(request.Phone, out var mobile)
            || await codes.FindSessionAsync(parsed, cancellationToken) is not { } sessionId
            || await sessions.GetReservationAsync(sessionId, parsed.Value, cancellationToken, phoneHasher.Hash(mobile.E164)) is not var (reservation, _)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(reservation.Phone), Encoding.UTF8.GetBytes(mobile.E164)))
        {
            // A wrong phone for a real code and any phone for a code nobody holds count alike.
            await lockout.RecordFailureAsync(parsed, cancellationToken);
            return notFound;
        }

        return (reservation, await catalog.GetAsync(cancellationToken));
    }
}
