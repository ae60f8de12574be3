using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// A visitor's own reservation: the one behind a code, if the phone is the one it was made with;
/// otherwise not-found, the same either way (a wrong phone tells nothing about the code).
/// </summary>
public sealed class OwnedReservations(CatalogService catalog, CodeDirectory codes, SessionStore sessions)
{
    public async Task<Result<(Reservation Reservation, Festival Festival)>> FindAsync(
        string code, PhoneRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            return DomainError.Validation("phone", "Enter the mobile number the reservation was made with.");
        }

        var notFound = DomainError.NotFound("reservation");
        if (!ReservationCode.TryParse(code, out var parsed) || !KoreanMobile.TryParse(request.Phone, out var mobile))
        {
            return notFound;
        }

        if (await codes.FindSessionAsync(parsed, cancellationToken) is not { } sessionId
            || await sessions.GetReservationAsync(sessionId, parsed.Value, cancellationToken) is not var (reservation, _)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(reservation.Phone), Encoding.UTF8.GetBytes(mobile.E164)))
        {
            return notFound;
        }

        return (reservation, await catalog.GetAsync(cancellationToken));
    }
}
