using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Reservations.Rules;

public sealed class BookingWindowRuleTests
{
    [Fact]
    public void Check_OneTickBeforeOpening_BookingNotOpenWithOpeningTime()
    {
        var error = BookingWindowRule.Check(Sessions.State(), Sessions.OpensAt.AddTicks(-1));

        Assert.NotNull(error);
        Assert.Equal(ErrorCode.BookingNotOpen, error.Code);
        Assert.Equal(Sessions.OpensAt, error.Extensions!["bookingOpensAt"]);
    }

    [Fact]
    public void Check_ExactlyAtOpening_Open()
    {
        Assert.Null(BookingWindowRule.Check(Sessions.State(), Sessions.OpensAt));
    }

    [Fact]
    public void Check_OneTickBeforeStart_Open()
    {
        Assert.Null(BookingWindowRule.Check(Sessions.State(), Sessions.Start.AddTicks(-1)));
    }

    [Fact]
    public void Check_ExactlyAtStart_BookingClosed()
    {
        Assert.Equal(ErrorCode.BookingClosed, BookingWindowRule.Check(Sessions.State(), Sessions.Start)?.Code);
    }

    [Fact]
    public void Check_AfterStart_BookingClosed()
    {
        Assert.Equal(ErrorCode.BookingClosed, BookingWindowRule.Check(Sessions.State(), Sessions.Start.AddHours(2))?.Code);
    }

    [Fact]
    public void Check_ClosedByStaffWhileWindowOpen_BookingClosed()
    {
        Assert.Equal(ErrorCode.BookingClosed, BookingWindowRule.Check(Sessions.State(closed: true), Sessions.DuringBooking)?.Code);
    }

    [Fact]
    public void Check_ClosedByStaffBeforeOpening_BookingClosedNotNotOpen()
    {
        Assert.Equal(ErrorCode.BookingClosed, BookingWindowRule.Check(Sessions.State(closed: true), Sessions.OpensAt.AddDays(-1))?.Code);
    }
}
