using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Lotteries;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Core.Time;

namespace FestivalReservations.Core.Contracts;

/// <summary>Turns domain objects into the contract's shapes; masks phones on the way out.</summary>
public static class ViewMapper
{
    public static FestivalView ToView(this Festival festival) => new(
        festival.FestivalId, festival.Document.Name, festival.Document.Venue, festival.Document.TimeZone,
        festival.Dates.Select(FestivalTime.FormatDate).ToArray(),
        new OpeningHoursView(festival.Document.OpeningHours.Start, festival.Document.OpeningHours.End));

    public static SessionView ToView(this SessionState s, FestivalTime time, DateTimeOffset now) => new(
        s.SessionId, s.ProgramId, FestivalTime.FormatDate(s.Date), time.Format(s.Start), time.Format(s.End),
        s.Capacity, s.Reserved, s.Remaining, s.Waitlisted, s.StatusAt(now), time.Format(s.BookingOpensAt),
        time.Format(s.BookingClosesAt))
    {
        Allocation = s.Allocation,
        Lottery = s.Lottery?.ToView(time, now),
    };

    /// <summary>The seed stays out until the draw; its hash is shown once entries open.</summary>
    public static LotteryView ToView(this LotteryState l, FestivalTime time, DateTimeOffset now) => new(
        time.Format(l.Window.EntriesOpenAt), time.Format(l.Window.EntriesCloseAt), time.Format(l.Window.DrawAt),
        l.PhaseAt(now), l.Entries, l.SeedHashPublicAt(now) ? l.SeedHash : null, l.IsDrawn ? l.Seed : null);

    public static SessionDetailView ToDetailView(this SessionState s, FestivalProgram program, FestivalTime time, DateTimeOffset now)
    {
        var v = s.ToView(time, now);
        return new SessionDetailView(v.SessionId, v.ProgramId, v.Date, v.Start, v.End, v.Capacity, v.Reserved,
            v.Remaining, v.Waitlisted, v.Status, v.BookingOpensAt, v.BookingClosesAt,
            new SessionProgramView(program.ProgramId, program.Title, program.Theme, program.Location))
        {
            Allocation = v.Allocation,
            Lottery = v.Lottery,
        };
    }

    public static ProgramView ToView(this FestivalProgram p, IReadOnlyList<SessionView> sessions) => new(
        p.ProgramId, p.Theme, p.Title, p.Description, p.Location, p.DurationMinutes, p.MaxPartySize, sessions);

    /// <summary>
    /// A reservation as the contract shows it; one that can still be shown at the gate carries its
    /// signed ticket link (computed from the code and its session's day, never stored).
    /// </summary>
    public static ReservationView ToView(this Reservation r, Festival festival, int? waitlistPosition, TicketSigner tickets)
    {
        var session = festival.FindSession(r.SessionId);
        var title = festival.FindProgram(r.ProgramId)?.Title ?? new LocalizedText(r.ProgramId, r.ProgramId);
        var start = session is null ? "" : festival.Time.Format(session.Start);
        return new ReservationView(
            ReservationCode.Display(r.Code),
            r.SessionId, r.ProgramId, title, start, r.Status, r.PartySize, r.Name, KoreanMobile.Mask(r.Phone),
            r.Language, r.Status == ReservationStatus.Waitlisted ? waitlistPosition : null,
            FestivalTime.FormatUtc(r.CreatedAt),
            r.CheckedInAt is { } c ? FestivalTime.FormatUtc(c) : null,
            r.CancelledAt is { } x ? FestivalTime.FormatUtc(x) : null,
            session is not null && HasTicket(r.Status) ? tickets.PathFor(r.Code, session.Date) : null,
            r.RemindersOff ? true : null);
    }

    /// <summary>Statuses whose reservation has a ticket to show: confirmed, waitlisted, checked in, and a lottery's entered.</summary>
    public static bool HasTicket(string status) =>
        status is ReservationStatus.Confirmed or ReservationStatus.Waitlisted or ReservationStatus.CheckedIn or "entered";
}
