using System.Globalization;
using System.Text;
using FestivalReservations.Core.Contracts;

namespace FestivalReservations.Core.Staff;

/// <summary>
/// The attendee list as CSV for Excel: a header row, CRLF lines, UTF-8 with a byte order mark (so
/// Korean names show), every cell quoted when it holds a comma, quote or line break, and cells that
/// a spreadsheet would read as a formula (= + - @, tab, CR) neutralised with a leading apostrophe.
/// </summary>
public static class AttendeeCsv
{
    public const string ContentType = "text/csv; charset=utf-8";
    public const char ByteOrderMark = '\uFEFF';

    public static readonly IReadOnlyList<string> Header =
    [
        "code", "sessionId", "start", "status", "partySize", "name", "phoneMasked", "language",
        "waitlistPosition", "createdAt", "checkedInAt", "cancelledAt",
    ];

    public static string Write(IEnumerable<ReservationView> reservations)
    {
        var csv = new StringBuilder();
        csv.Append(ByteOrderMark);
        AppendRow(csv, Header);
        foreach (var r in reservations)
        {
            AppendRow(csv,
            [
                r.Code, r.SessionId, r.Start, r.Status, r.PartySize.ToString(CultureInfo.InvariantCulture), r.Name,
                r.PhoneMasked, r.Language, r.WaitlistPosition?.ToString(CultureInfo.InvariantCulture) ?? "",
                r.CreatedAt, r.CheckedInAt ?? "", r.CancelledAt ?? "",
            ]);
        }

        return csv.ToString();
    }

    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static void AppendRow(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(Cell));
        csv.Append("\r\n");
    }
}
