using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Reservations.Rules;

public sealed class CancellationRuleTests
{
    private static Reservation WithStatus(string status) => new()
    {
        Code = "K7M2QX9P",
        SessionId = Sessions.Id,
        ProgramId = "mask-parade",
        Name = "김민수",
        Phone = "+821012345678",
        PartySize = 2,
        Language = "ko",
        Status = status,
        CreatedAt = Sessions.DuringBooking,
    };

    [Theory]
    [InlineData(ReservationStatus.Cancelled, ErrorCode.AlreadyCancelled)]
    [InlineData(ReservationStatus.CheckedIn, ErrorCode.AlreadyCheckedIn)]
    [InlineData(ReservationStatus.NoShow, ErrorCode.CancellationClosed)]
    public void CheckStatus_InactiveStatus_RefusedWithCode(string status, ErrorCode expected)
    {
        Assert.Equal(expected, CancellationRule.CheckStatus(WithStatus(status))?.Code);
    }

    [Theory]
    [InlineData(ReservationStatus.Confirmed)]
    [InlineData(ReservationStatus.Waitlisted)]
    public void CheckStatus_ActiveStatus_Allowed(string status)
    {
        Assert.Null(CancellationRule.CheckStatus(WithStatus(status)));
    }

    [Fact]
    public void CheckVisitorDeadline_OneTickBeforeStart_Allowed()
    {
        Assert.Null(CancellationRule.CheckVisitorDeadline(Sessions.State(), Sessions.Start.AddTicks(-1)));
    }

    [Fact]
    public void CheckVisitorDeadline_AtStart_CancellationClosed()
    {
        Assert.Equal(ErrorCode.CancellationClosed, CancellationRule.CheckVisitorDeadline(Sessions.State(), Sessions.Start)?.Code);
    }

    [Fact]
    public void CheckVisitorDeadline_AfterStart_CancellationClosed()
    {
        Assert.Equal(ErrorCode.CancellationClosed, CancellationRule.CheckVisitorDeadline(Sessions.State(), Sessions.Start.AddMinutes(5))?.Code);
    }
}
