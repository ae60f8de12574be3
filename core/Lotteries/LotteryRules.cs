using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Lotteries;

/// <summary>The rules of a lottery's window: when entries are taken, when it may be drawn, when it may change.</summary>
public static class LotteryRules
{
    /// <summary>A window that makes sense: entries open before they close, the draw not before they close, all before the session starts.</summary>
    public static string? WindowProblem(LotteryWindow w, DateTimeOffset sessionStart)
    {
        if (w.EntriesOpenAt >= w.EntriesCloseAt)
        {
            return "lottery.entriesOpenAt must be before lottery.entriesCloseAt.";
        }

        if (w.DrawAt < w.EntriesCloseAt)
        {
            return "lottery.drawAt must not be before lottery.entriesCloseAt (the draw comes after the last entry).";
        }

        if (w.EntriesCloseAt > sessionStart)
        {
            return "lottery.entriesCloseAt must not be after the session starts.";
        }

        return w.DrawAt >= sessionStart ? "lottery.drawAt must be before the session starts." : null;
    }

    /// <summary>Entries are taken in the window, unless staff closed the session or it has started.</summary>
    public static DomainError? EntryWindow(SessionState session, LotteryState lottery, DateTimeOffset now)
    {
        if (session.Closed)
        {
            return new DomainError(ErrorCode.BookingClosed, "Staff have closed this session.");
        }

        if (now >= session.Start)
        {
            return new DomainError(ErrorCode.BookingClosed, "This session has started.");
        }

        if (now < lottery.Window.EntriesOpenAt)
        {
            return new DomainError(ErrorCode.BookingNotOpen, "Entries for this lottery have not opened yet.")
            {
                Extensions = new Dictionary<string, object?> { ["entriesOpenAt"] = lottery.Window.EntriesOpenAt },
            };
        }

        return now >= lottery.Window.EntriesCloseAt ? NotDrawnYet(lottery) : null;
    }

    /// <summary>Between the end of entries and the draw: nothing is booked until the draw has seated its winners.</summary>
    public static DomainError NotDrawnYet(LotteryState lottery) =>
        new(ErrorCode.BookingNotOpen, "Entries for this lottery have closed; seats left after the draw open first come.")
        {
            Extensions = new Dictionary<string, object?> { ["drawAt"] = lottery.Window.DrawAt },
        };

    /// <summary>Staff may draw once entries have closed; the timer at the draw time.</summary>
    public static DomainError? Due(LotteryState lottery, DateTimeOffset now, bool byStaff) =>
        now >= (byStaff ? lottery.Window.EntriesCloseAt : lottery.Window.DrawAt)
            ? null
            : new DomainError(ErrorCode.DrawNotDue, byStaff
                ? "The lottery can be drawn once its entries have closed."
                : "The lottery's draw time has not come.")
            {
                Extensions = new Dictionary<string, object?> { ["entriesCloseAt"] = lottery.Window.EntriesCloseAt, ["drawAt"] = lottery.Window.DrawAt },
            };

    /// <summary>An entry can be cancelled while entries are open: after that the draw's entries are fixed.</summary>
    public static DomainError? EntryCancellation(LotteryState? lottery, DateTimeOffset now) =>
        lottery is null || now < lottery.Window.EntriesCloseAt
            ? null
            : new DomainError(ErrorCode.CancellationClosed, "Entries have closed: an entry can no longer be withdrawn before the draw.");

    /// <summary>
    /// A catalog may change a session's allocation or lottery window only until entries open, and may
    /// turn a first-come session into a lottery only while nobody holds a place in it.
    /// </summary>
    public static string? ChangeProblem(SessionState session, LotteryWindow? next, DateTimeOffset now)
    {
        if (session.Lottery?.Window == next)
        {
            return null;
        }

        if (session.Lottery is { } current && (now >= current.Window.EntriesOpenAt || current.IsDrawn))
        {
            return $"The lottery of {session.SessionId} cannot change: its entries opened at {current.Window.EntriesOpenAt:O}.";
        }

        if (session.Lottery is null && next is not null && (session.Reserved > 0 || session.Waitlisted > 0))
        {
            return $"{session.SessionId} already holds reservations: it cannot become a lottery.";
        }

        return null;
    }
}
