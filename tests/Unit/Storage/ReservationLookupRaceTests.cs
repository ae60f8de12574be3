using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Storage;

/// <summary>
/// A look-up by code (staff, SMS) that straddles a cancellation: the cancellation moves the
/// reservation from its phone's row to its code's row in one transaction, between the look-up's
/// read of the code's row and its read of the phone's row.
/// </summary>
public sealed class ReservationLookupRaceTests
{
    private const string SessionId = "bubble-playground.20240908.1330";
    private const string PhoneHash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    [Fact]
    public async Task GetReservation_CancelledBetweenItsCodeReadAndItsPhoneRead_IsFoundUnderItsCode()
    {
        var storage = new FakeStorage();
        var code = ReservationCode.New();
        var reservation = new Reservation
        {
            Code = code.Value,
            SessionId = SessionId,
            ProgramId = "bubble-playground",
            Name = "김민수",
            Phone = "+821012345678",
            PartySize = 1,
            Language = "ko",
            Status = ReservationStatus.Confirmed,
            CreatedAt = Sessions.DuringBooking,
        };
        storage.Sessions.Seed(SessionEntities.ToEntity(reservation, PhoneHash));
        var claim = CodeDirectory.Row(code, SessionId);
        claim[CodeDirectory.PhoneHashColumn] = PhoneHash;
        storage.Codes.Seed(claim);
        var moved = false;
        storage.Sessions.AfterRead = (pk, rk) =>
        {
            if (!moved && rk == SessionRows.Reservation(code.Value))
            {
                // The cancellation commits right behind the look-up's read of the code's row.
                moved = true;
                storage.Sessions.Remove(SessionId, SessionRows.PhoneMarker(PhoneHash));
                storage.Sessions.Seed(SessionEntities.ToEntity(reservation with { Status = ReservationStatus.Cancelled }));
            }
        };

        var found = await new SessionStore(storage.Tables).GetReservationAsync(SessionId, code.Value, CancellationToken.None);

        Assert.True(moved);
        Assert.NotNull(found);
        Assert.Equal(code.Value, found.Value.Reservation.Code);
        Assert.Equal(ReservationStatus.Cancelled, found.Value.Reservation.Status);
    }
}
