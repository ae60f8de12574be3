using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Contracts;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Staff;

/// <summary>Turns a session's counter into the staff board's shape.</summary>
public static class StaffViewMapper
{
    public static StaffSessionView ToStaffView(this SessionState s, Festival festival, DateTimeOffset now)
    {
        var v = s.ToView(festival.Time, now);
        var title = festival.FindProgram(s.ProgramId)?.Title ?? new LocalizedText(s.ProgramId, s.ProgramId);
        return new StaffSessionView(v.SessionId, v.ProgramId, v.Date, v.Start, v.End, v.Capacity, v.Reserved, v.Remaining,
            v.Waitlisted, v.Status, v.BookingOpensAt, v.BookingClosesAt, title, s.CheckedIn, s.WaitlistParties)
        {
            Allocation = v.Allocation,
            Lottery = v.Lottery,
        };
    }
}
