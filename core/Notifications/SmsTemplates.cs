using System.Globalization;

namespace FestivalReservations.Core.Notifications;

/// <summary>What a visitor's message says: no name (it stays out of texts, logs and SmsLog), festival-local date and time.</summary>
public sealed record SmsTemplateData(string FestivalName, string ProgramTitle, DateTimeOffset LocalStart, int PartySize, string Code);

/// <summary>
/// The texts of every kind in Korean and English. Korean fits two concatenated UCS-2 segments
/// (134 characters), English one GSM-7 segment (160 septets); no emoji. Should a staff catalog
/// bring a longer title, the title (then the festival name) is shortened so the limit holds.
/// </summary>
public static class SmsTemplates
{
    public const string Korean = "ko";
    public const string English = "en";

    /// <summary>Two concatenated UCS-2 segments of 67 characters.</summary>
    public const int KoreanLimit = 2 * Gsm7.Ucs2ConcatenatedSegmentChars;

    /// <summary>One GSM-7 segment.</summary>
    public const int EnglishLimit = Gsm7.SingleSegmentSeptets;

    private static readonly string[] KoreanDays = ["일", "월", "화", "수", "목", "금", "토"];
    private static readonly string[] EnglishDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] EnglishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static string LanguageOf(string? language) => language == English ? English : Korean;

    public static string Render(string kind, string language, SmsTemplateData data)
    {
        var english = LanguageOf(language) == English;
        var festival = data.FestivalName;
        var title = data.ProgramTitle;
        var text = Compose(kind, english, festival, title, data);
        // Shorten the title first, then the festival name, a character at a time (rare: staff catalogs only).
        while (!Fits(text, english) && (title.Length > 8 || festival.Length > 8))
        {
            if (title.Length > 8)
            {
                title = Shorten(title, english);
            }
            else
            {
                festival = Shorten(festival, english);
            }

            text = Compose(kind, english, festival, title, data);
        }

        return text;
    }

    /// <summary>Within the language's limit and alphabet (English in GSM-7; no surrogate pairs in either).</summary>
    public static bool Fits(string text, bool english) =>
        english
            ? Gsm7.SeptetCount(text) is { } septets && septets <= EnglishLimit
            : !Gsm7.HasSurrogates(text) && Gsm7.Ucs2Length(text) <= KoreanLimit;

    private static string Shorten(string text, bool english)
    {
        var ellipsis = english ? "..." : "…";
        var core = text.EndsWith(ellipsis, StringComparison.Ordinal) ? text[..^ellipsis.Length] : text;
        return core[..^1].TrimEnd() + ellipsis;
    }

    private static string Compose(string kind, bool english, string festival, string title, SmsTemplateData d)
    {
        var time = d.LocalStart.ToString("HH:mm", CultureInfo.InvariantCulture);
        var code = d.Code;
        var n = d.PartySize.ToString(CultureInfo.InvariantCulture);
        if (english)
        {
            var date = string.Create(CultureInfo.InvariantCulture,
                $"{EnglishDays[(int)d.LocalStart.DayOfWeek]} {d.LocalStart.Day} {EnglishMonths[d.LocalStart.Month - 1]}");
            var party = d.PartySize == 1 ? "1 person" : $"{n} people";
            return kind switch
            {
                SmsKind.Confirmed => $"[{festival}] Booking confirmed: {title}, {date} {time}, {party}. Code {code}",
                SmsKind.Waitlisted => $"[{festival}] Waitlisted: {title}, {date} {time}, {party}. We will text you if seats free up. Code {code}",
                SmsKind.Promoted => $"[{festival}] A seat freed up, you are confirmed: {title}, {date} {time}, {party}. Code {code}",
                SmsKind.Cancelled => $"[{festival}] Booking cancelled: {title}, {date} {time}, {party}. Code {code}",
                SmsKind.Reminder => $"[{festival}] Today: {title} at {time}, {party}. Please come 10 minutes early. Code {code}",
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SMS kind."),
            };
        }

        var koDate = string.Create(CultureInfo.InvariantCulture,
            $"{d.LocalStart.Month}월 {d.LocalStart.Day}일({KoreanDays[(int)d.LocalStart.DayOfWeek]})");
        return kind switch
        {
            SmsKind.Confirmed => $"[{festival}] 예약 확정: {title}, {koDate} {time}, {n}명. 예약번호 {code}",
            SmsKind.Waitlisted => $"[{festival}] 대기 접수: {title}, {koDate} {time}, {n}명. 자리가 나면 문자로 알려 드려요. 예약번호 {code}",
            SmsKind.Promoted => $"[{festival}] 대기 중이던 예약이 확정됐어요: {title}, {koDate} {time}, {n}명. 예약번호 {code}",
            SmsKind.Cancelled => $"[{festival}] 예약 취소: {title}, {koDate} {time}, {n}명. 예약번호 {code}",
            SmsKind.Reminder => $"[{festival}] 오늘 {time} {title}, {n}명 예약이 있어요. 10분 전까지 와 주세요. 예약번호 {code}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SMS kind."),
        };
    }
}
