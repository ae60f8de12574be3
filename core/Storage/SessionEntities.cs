using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;

namespace FestivalReservations.Core.Storage;

/// <summary>Maps the rows of a session's partition to the domain and back.</summary>
public static class SessionEntities
{
    public static TableEntity ToEntity(SessionState s)
    {
        var e = CounterColumns(s);
        if (s.Lottery is { } l)
        {
            // The seed is a secret until the draw: it lives only here, in a row no API returns raw.
            e["Allocation"] = s.Allocation;
            e["EntriesOpenAt"] = l.Window.EntriesOpenAt;
            e["EntriesCloseAt"] = l.Window.EntriesCloseAt;
            e["DrawAt"] = l.Window.DrawAt;
            e["LotterySeed"] = l.Seed;
            e["Entries"] = l.Entries;
            e["DrawCursor"] = l.Drawn;
            e["DrawWon"] = l.Won;
            e["DrawWaitlisted"] = l.WaitlistedByDraw;
            e["DrawnAt"] = l.DrawnAt;
        }

        return e;
    }

    private static TableEntity CounterColumns(SessionState s) => new(s.SessionId, SessionRows.Counter)
    {
        ["ProgramId"] = s.ProgramId,
        ["Date"] = s.Date.ToString("yyyy-MM-dd"),
        ["Start"] = s.Start,
        ["End"] = s.End,
        ["BookingOpensAt"] = s.BookingOpensAt,
        ["Capacity"] = s.Capacity,
        ["Reserved"] = s.Reserved,
        ["Waitlisted"] = s.Waitlisted,
        ["WaitlistParties"] = s.WaitlistParties,
        ["CheckedIn"] = s.CheckedIn,
        ["NoShows"] = s.NoShows,
        ["Closed"] = s.Closed,
        ["NextWaitlistSeq"] = s.NextWaitlistSeq,
        ["Escrow"] = s.Escrow,
        ["Allotments"] = s.Allotments,
        ["Epoch"] = s.Epoch,
    };

    public static SessionState ToSession(TableEntity e) => new()
    {
        SessionId = e.PartitionKey,
        ProgramId = e.GetString("ProgramId"),
        Date = DateOnly.ParseExact(e.GetString("Date"), "yyyy-MM-dd"),
        Start = e.GetDateTimeOffset("Start")!.Value,
        End = e.GetDateTimeOffset("End")!.Value,
        BookingOpensAt = e.GetDateTimeOffset("BookingOpensAt")!.Value,
        Capacity = e.GetInt32("Capacity") ?? 0,
        Reserved = e.GetInt32("Reserved") ?? 0,
        Waitlisted = e.GetInt32("Waitlisted") ?? 0,
        WaitlistParties = e.GetInt32("WaitlistParties") ?? 0,
        CheckedIn = e.GetInt32("CheckedIn") ?? 0,
        NoShows = e.GetInt32("NoShows") ?? 0,
        Closed = e.GetBoolean("Closed") ?? false,
        NextWaitlistSeq = e.GetInt64("NextWaitlistSeq") ?? 1,
        Escrow = e.GetInt32("Escrow") ?? 0,
        Allotments = e.GetInt32("Allotments") ?? 0,
        Epoch = e.GetInt64("Epoch") ?? 0,
        Lottery = ToLottery(e),
    };

    private static Lotteries.LotteryState? ToLottery(TableEntity e) =>
        e.GetString("Allocation") != Lotteries.Allocation.Lottery ? null : new Lotteries.LotteryState
        {
            Window = new Lotteries.LotteryWindow(
                e.GetDateTimeOffset("EntriesOpenAt")!.Value, e.GetDateTimeOffset("EntriesCloseAt")!.Value, e.GetDateTimeOffset("DrawAt")!.Value),
            Seed = e.GetString("LotterySeed"),
            Entries = e.GetInt32("Entries") ?? 0,
            Drawn = e.GetInt32("DrawCursor") ?? 0,
            Won = e.GetInt32("DrawWon") ?? 0,
            WaitlistedByDraw = e.GetInt32("DrawWaitlisted") ?? 0,
            DrawnAt = e.GetDateTimeOffset("DrawnAt"),
        };

    public static TableEntity ToEntity(string sessionId, Allotment a) => new(sessionId, SessionRows.Allotment(a.Index))
    {
        ["Free"] = a.Free,
        ["Taken"] = a.Taken,
        ["Epoch"] = a.Epoch,
    };

    public static Allotment ToAllotment(TableEntity e) => new(
        int.Parse(e.RowKey[SessionRows.AllotmentPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture),
        e.GetInt32("Free") ?? 0, e.GetInt32("Taken") ?? 0, e.GetInt64("Epoch") ?? 0);

    /// <summary>A reservation's row: in its phone's row when <paramref name="phoneHash"/> is given (it is then its own one-booking-per-phone marker), else under its code.</summary>
    public static TableEntity ToEntity(Reservation r, string? phoneHash = null) =>
        ToRow(r, phoneHash is null ? SessionRows.Reservation(r.Code) : SessionRows.PhoneMarker(phoneHash));

    public static TableEntity ToRow(Reservation r, string rowKey) => new(r.SessionId, rowKey)
    {
        ["Code"] = r.Code,
        ["ProgramId"] = r.ProgramId,
        ["Name"] = r.Name,
        ["Phone"] = r.Phone,
        ["PartySize"] = r.PartySize,
        ["Language"] = r.Language,
        ["Status"] = r.Status,
        ["CreatedAt"] = r.CreatedAt,
        ["WaitlistSeq"] = r.WaitlistSeq,
        ["CheckedInAt"] = r.CheckedInAt,
        ["CheckInDevice"] = r.CheckInDevice,
        ["RemindersOff"] = r.RemindersOff ? true : null,
        ["CancelledAt"] = r.CancelledAt,
        ["CancelReason"] = r.CancelReason,
        ["PromotedAt"] = r.PromotedAt,
        ["ErasedAt"] = r.ErasedAt,
        ["DrawRank"] = r.DrawRank,
    };

    public static Reservation ToReservation(TableEntity e) => new()
    {
        Code = e.GetString("Code"),
        SessionId = e.PartitionKey,
        ProgramId = e.GetString("ProgramId"),
        Name = e.GetString("Name") ?? "",
        Phone = e.GetString("Phone") ?? "",
        PartySize = e.GetInt32("PartySize") ?? 0,
        Language = e.GetString("Language") ?? "ko",
        Status = e.GetString("Status"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt")!.Value,
        WaitlistSeq = e.GetInt64("WaitlistSeq"),
        CheckedInAt = e.GetDateTimeOffset("CheckedInAt"),
        CheckInDevice = e.GetString("CheckInDevice"),
        RemindersOff = e.GetBoolean("RemindersOff") ?? false,
        CancelledAt = e.GetDateTimeOffset("CancelledAt"),
        CancelReason = e.GetString("CancelReason"),
        PromotedAt = e.GetDateTimeOffset("PromotedAt"),
        ErasedAt = e.GetDateTimeOffset("ErasedAt"),
        DrawRank = e.GetInt32("DrawRank"),
    };

    /// <summary>Whether a row holds a reservation (a phone's row may be a bare marker, as written before reservations moved into it).</summary>
    public static bool IsReservation(TableEntity e) => e.ContainsKey("Status");

    /// <summary>Whether a row of a session's partition is a reservation: under its code, or in its phone's row.</summary>
    public static bool IsReservationRow(TableEntity e) =>
        e.RowKey.StartsWith(SessionRows.ReservationPrefix, StringComparison.Ordinal)
        || (e.RowKey.StartsWith(SessionRows.PhoneMarkerPrefix, StringComparison.Ordinal) && IsReservation(e));

    /// <summary>The session as staff see it, from all the rows of its partition (counter and allotments).</summary>
    public static SessionState Settled(IReadOnlyCollection<TableEntity> rows) =>
        ToSession(rows.Single(r => r.RowKey == SessionRows.Counter)).Settled(
            rows.Where(r => r.RowKey.StartsWith(SessionRows.AllotmentPrefix, StringComparison.Ordinal)).Select(ToAllotment));

    /// <summary>The columns a promotion changes, merged into the waitlisted reservation's row.</summary>
    public static TableEntity Promotion(string sessionId, string rowKey, DateTimeOffset at) =>
        new(sessionId, rowKey) { ["Status"] = ReservationStatus.Confirmed, ["PromotedAt"] = at };

    public static TableEntity PhoneMarker(string sessionId, string phoneHash, string code) =>
        new(sessionId, SessionRows.PhoneMarker(phoneHash)) { ["Code"] = code };

    /// <summary>A waitlist ticket, with the row of the reservation it stands for (its phone's row).</summary>
    public static TableEntity ToEntity(string sessionId, WaitlistTicket t, string reservationRow) =>
        new(sessionId, SessionRows.Waitlist(t.Seq)) { ["Code"] = t.Code, ["PartySize"] = t.PartySize, ["Row"] = reservationRow };

    /// <summary>The row of the reservation a ticket stands for (tickets written before rows were keyed by phone name none: under its code).</summary>
    public static string ReservationRowOf(TableEntity ticket) => ticket.GetString("Row") ?? SessionRows.Reservation(ticket.GetString("Code"));

    public static WaitlistTicket ToTicket(TableEntity e) => new(
        long.Parse(e.RowKey[SessionRows.WaitlistPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture),
        e.GetString("Code"), e.GetInt32("PartySize") ?? 0);

    /// <summary>The phone hash a marker row stands for.</summary>
    public static string PhoneHashOf(TableEntity marker) => marker.RowKey[SessionRows.PhoneMarkerPrefix.Length..];
}
