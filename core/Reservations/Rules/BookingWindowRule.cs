using FestivalReservations.Core.Errors;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>Booking is possible from the session's opening moment until it starts, unless staff closed it; for a lottery, only once it is drawn.</summary>
public static class BookingWindowRule
{
    public static DomainError? Check(SessionState session, DateTimeOffset now)
    {
        if (session.Closed)
        {
            return new DomainError(ErrorCode.BookingClosed, "Staff have closed booking for this session.");
        }

        if (now >= session.BookingClosesAt)
        {
            return new DomainError(ErrorCode.BookingClosed, "Booking for this session has closed: it has started.");
        }

        if (session.Lottery is { IsDrawn: false } lottery)
        {
            return Lotteries.LotteryRules.NotDrawnYet(lottery);
        }

        if (now < session.BookingOpensAt)
        {
            return new DomainError(ErrorCode.BookingNotOpen, "Booking for this session has not opened yet.")
            {
                Extensions = new Dictionary<string, object?> { ["bookingOpensAt"] = session.BookingOpensAt },
            };
        }

        return null;
    }
}
