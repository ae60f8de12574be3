using System.Globalization;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Localization;

namespace FestivalReservations.Core.Notifications;

/// <summary>What a visitor's message says: no name (it stays out of texts, logs and SmsLog), festival-local date and time.</summary>
/// <remarks>
/// <paramref name="Link"/>: the absolute ticket link, for the kinds that carry one (<see cref="SmsTemplates.CarriesLink"/>).
/// <see cref="WaitlistPosition"/>: a <c>waitlisted</c> message's place in line (<see cref="OutboxMessage.WaitlistPosition"/>).
/// </remarks>
public sealed record SmsTemplateData(string FestivalName, string ProgramTitle, DateTimeOffset LocalStart, int PartySize, string Code, string? Link = null)
{
    /// <summary>The place in line a <c>waitlisted</c> message states, when known.</summary>
    public int? WaitlistPosition { get; init; }

    /// <summary>
    /// The festival's name and the program's title as a message in <paramref name="language"/> can
    /// carry them (<see cref="SmsTemplates.Carriable"/>): in that language, else in English, else left out.
    /// </summary>
    public static SmsTemplateData For(string language, LocalizedText festivalName, LocalizedText programTitle,
        DateTimeOffset localStart, int partySize, string code, string? link = null) =>
        new(SmsTemplates.Carriable(festivalName, language), SmsTemplates.Carriable(programTitle, language), localStart, partySize, code, link);
}

/// <summary>
/// The texts of every kind in Korean, English, Chinese and Japanese, as Korean carriers deliver
/// them (<see cref="CarrierText"/>): every character in EUC-KR, within the segment budget with the
/// carrier's 6-character prefix counted. Korean, Chinese and Japanese go as UCS-2 in two
/// concatenated segments (134 characters), English as GSM-7 in one (160 septets). The Chinese
/// texts are written in the traditional forms KS X 1001 holds (預約, not 预约): the simplified
/// forms would not arrive. Messages that carry the ticket link end with it; should a message
/// not fit (English and Chinese ones often carry the long English names, or a staff catalog
/// brings a long title), the festival name (then the title) is shortened so the budget holds.
/// </summary>
public static class SmsTemplates
{
    /// <summary>Two concatenated UCS-2 segments of 67 characters.</summary>
    public const int Ucs2Limit = 2 * Gsm7.Ucs2ConcatenatedSegmentChars;

    /// <summary>One GSM-7 segment.</summary>
    public const int Gsm7Limit = Gsm7.SingleSegmentSeptets;

    /// <summary>What the carrier's prefix takes of every message's budget.</summary>
    public static readonly int PrefixLength = CarrierText.InternationalPrefix.Length;

    private static readonly string[] KoreanDays = ["일", "월", "화", "수", "목", "금", "토"];
    private static readonly string[] EnglishDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] EnglishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] ChineseDays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
    private static readonly string[] JapaneseDays = ["日", "月", "火", "水", "木", "金", "土"];

    /// <summary>
    /// The kinds that carry the ticket link (what to show at the gate, where to cancel or stop the
    /// reminder, and where a lottery entry's result stands); a cancellation has no ticket left to show.
    /// </summary>
    public static bool CarriesLink(string kind) => kind is not SmsKind.Cancelled;

    /// <summary>The language a message is written in: the reservation's, or Korean.</summary>
    public static string LanguageOf(string? language) => Languages.OrDefault(language);

    /// <summary>English goes as GSM-7; the others as UCS-2.</summary>
    public static bool IsGsm7(string language) => LanguageOf(language) == Languages.English;

    /// <summary>Characters (UCS-2) or septets (GSM-7) a message in <paramref name="language"/> may take, the carrier's prefix aside.</summary>
    public static int BudgetFor(string language) => (IsGsm7(language) ? Gsm7Limit : Ucs2Limit) - PrefixLength;

    public static string Render(string kind, string language, SmsTemplateData data)
    {
        language = LanguageOf(language);
        var festival = data.FestivalName;
        var title = data.ProgramTitle;
        var text = Compose(kind, language, festival, title, data);
        // Shorten the festival name first (the sender's number says who writes), then the title, a
        // character at a time: long English names with the ticket link, or a staff catalog's long title.
        while (Length(text, language) > BudgetFor(language) && (title.Length > 8 || festival.Length > 8))
        {
            if (festival.Length > 8)
            {
                festival = Shorten(festival, language);
            }
            else
            {
                title = Shorten(title, language);
            }

            text = Compose(kind, language, festival, title, data);
        }

        return text;
    }

    /// <summary>Carried by Korean carriers, in the language's alphabet (English in GSM-7), within its budget.</summary>
    public static bool Fits(string text, string language) =>
        Alphabet(text, language) && Length(text, language) <= BudgetFor(language);

    /// <summary>UCS-2 characters, or GSM-7 septets for English (int.MaxValue when the text is not GSM-7).</summary>
    public static int Length(string text, string language) =>
        IsGsm7(language) ? Gsm7.SeptetCount(text) ?? int.MaxValue : Gsm7.Ucs2Length(text);

    /// <summary>
    /// <paramref name="text"/> in <paramref name="language"/> as a message can carry it: as written,
    /// or transliterated (<see cref="CarrierText.Fold"/>); failing that the English text, as written
    /// or transliterated; failing that nothing, so the message leaves it out rather than arrive broken.
    /// </summary>
    public static string Carriable(LocalizedText text, string language)
    {
        language = LanguageOf(language);
        foreach (var candidate in new[] { text.Own(language), text.En })
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            if (Alphabet(candidate, language))
            {
                return candidate;
            }

            if (CarrierText.Fold(candidate) is { } folded && Alphabet(folded, language))
            {
                return folded;
            }
        }

        return "";
    }

    private static bool Alphabet(string text, string language) =>
        CarrierText.CanCarry(text) && (!IsGsm7(language) || Gsm7.CanEncode(text));

    private static string Shorten(string text, string language)
    {
        var ellipsis = IsGsm7(language) ? "..." : "…";
        var core = text.EndsWith(ellipsis, StringComparison.Ordinal) ? text[..^ellipsis.Length] : text;
        return core[..^1].TrimEnd() + ellipsis;
    }

    private static string Compose(string kind, string language, string festival, string title, SmsTemplateData d) => language switch
    {
        Languages.English => English(kind, festival, title, d),
        Languages.Chinese => Chinese(kind, festival, title, d),
        Languages.Japanese => Japanese(kind, festival, title, d),
        _ => Korean(kind, festival, title, d),
    };

    // A name or title a carrier could not take is left out, with the separator that went with it.
    private static string Tag(string festival, string open = "[", string close = "] ") =>
        festival.Length > 0 ? open + festival + close : "";

    private static string Lead(string title, string separator) => title.Length > 0 ? title + separator : "";

    private static string Time(SmsTemplateData d) => d.LocalStart.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    // A waitlisted message's place in line, between the language's brackets; nothing when not known.
    private static string Place(SmsTemplateData d, string open, string close) =>
        d.WaitlistPosition is { } n ? open + Number(n) + close : "";

    // The ticket link goes last, after a space, so phones linkify it alone.
    private static string Link(SmsTemplateData d) => d.Link is { Length: > 0 } link ? " " + link : "";

    private static string Korean(string kind, string festival, string title, SmsTemplateData d)
    {
        var when = string.Create(CultureInfo.InvariantCulture,
            $"{d.LocalStart.Month}월 {d.LocalStart.Day}일({KoreanDays[(int)d.LocalStart.DayOfWeek]}) {Time(d)}");
        var what = $"{Lead(title, ", ")}{when}, {Number(d.PartySize)}명";
        return Tag(festival) + kind switch
        {
            SmsKind.Confirmed => $"예약 확정: {what}. 예약번호 {d.Code}{Link(d)}",
            SmsKind.Waitlisted => $"{(d.WaitlistPosition is { } n ? $"대기{Number(n)}번" : "대기 접수")}: {what}. 예약번호 {d.Code}{Link(d)}",
            SmsKind.Promoted => $"대기 후 확정: {what}. 예약번호 {d.Code}{Link(d)}",
            SmsKind.Cancelled => $"예약 취소: {what}. 예약번호 {d.Code}",
            SmsKind.Reminder => $"오늘 {Time(d)} {Lead(title, ", ")}{Number(d.PartySize)}명 예약. 10분 전까지 와 주세요. 예약번호 {d.Code}{Link(d)}",
            SmsKind.Entered => $"추첨 응모: {what}. 응모번호 {d.Code}{Link(d)}",
            SmsKind.Won => $"추첨 당첨: {what}. 예약번호 {d.Code}{Link(d)}",
            SmsKind.NotSelected => $"추첨 미당첨: {what}. 응모번호 {d.Code}{Link(d)}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SMS kind."),
        };
    }

    private static string English(string kind, string festival, string title, SmsTemplateData d)
    {
        var date = string.Create(CultureInfo.InvariantCulture,
            $"{EnglishDays[(int)d.LocalStart.DayOfWeek]} {d.LocalStart.Day} {EnglishMonths[d.LocalStart.Month - 1]}");
        var party = d.PartySize == 1 ? "1 person" : $"{Number(d.PartySize)} people";
        var what = $"{Lead(title, ", ")}{date} {Time(d)}, {party}";
        return Tag(festival) + kind switch
        {
            SmsKind.Confirmed => $"Confirmed: {what}. Code {d.Code}{Link(d)}",
            SmsKind.Waitlisted => $"Waitlisted{Place(d, " (#", ")")}: {what}. Code {d.Code}{Link(d)}",
            SmsKind.Promoted => $"Seat freed, confirmed: {what}. Code {d.Code}{Link(d)}",
            SmsKind.Cancelled => $"Booking cancelled: {what}. Code {d.Code}",
            SmsKind.Reminder => $"Today {Time(d)} {Lead(title, ", ")}{party}. Come 10 min early. Code {d.Code}{Link(d)}",
            SmsKind.Entered => $"Lottery entry: {what}. Result by SMS. Code {d.Code}{Link(d)}",
            SmsKind.Won => $"Lottery won, confirmed: {what}. Code {d.Code}{Link(d)}",
            SmsKind.NotSelected => $"Not selected in the lottery: {what}. Code {d.Code}{Link(d)}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SMS kind."),
        };
    }

    // Traditional forms throughout (預約, 確認, 號碼): KS X 1001 has no simplified ones.
    // Japanese: KS X 1001 lacks many shinjitai (号, 会, 伝) and the long-vowel mark ー, so the texts avoid them.
    private static string Chinese(string kind, string festival, string title, SmsTemplateData d)
    {
        var when = string.Create(CultureInfo.InvariantCulture,
            $"{d.LocalStart.Month}月{d.LocalStart.Day}日({ChineseDays[(int)d.LocalStart.DayOfWeek]}) {Time(d)}");
        var what = $"{Lead(title, "，")}{when}，{Number(d.PartySize)}人";
        return Tag(festival, "【", "】") + kind switch
        {
            SmsKind.Confirmed => $"預約成功：{what}。預約號碼 {d.Code}{Link(d)}",
            SmsKind.Waitlisted => $"已登記候補{Place(d, "(第", "位)")}：{what}。預約號碼 {d.Code}{Link(d)}",
            SmsKind.Promoted => $"候補預約已確認：{what}。預約號碼 {d.Code}{Link(d)}",
            SmsKind.Cancelled => $"預約已取消：{what}。預約號碼 {d.Code}",
            SmsKind.Reminder => $"今天 {Time(d)} {Lead(title, "，")}{Number(d.PartySize)}人。請提前10分鐘到場。預約號碼 {d.Code}{Link(d)}",
            SmsKind.Entered => $"已參加抽籤：{what}。結果以短信通知。號碼 {d.Code}{Link(d)}",
            SmsKind.Won => $"抽籤中選：{what}。預約號碼 {d.Code}{Link(d)}",
            SmsKind.NotSelected => $"抽籤未中選：{what}。號碼 {d.Code}{Link(d)}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SMS kind."),
        };
    }

    private static string Japanese(string kind, string festival, string title, SmsTemplateData d)
    {
        var when = string.Create(CultureInfo.InvariantCulture,
            $"{d.LocalStart.Month}月{d.LocalStart.Day}日({JapaneseDays[(int)d.LocalStart.DayOfWeek]}) {Time(d)}");
        var what = $"{Lead(title, "、")}{when}、{Number(d.PartySize)}名";
        return Tag(festival, "【", "】") + kind switch
        {
            SmsKind.Confirmed => $"予約確定：{what}。予約ID {d.Code}{Link(d)}",
            SmsKind.Waitlisted => $"{(d.WaitlistPosition is { } n ? $"空席待ち{Number(n)}番" : "キャンセル待ち受付")}：{what}。予約ID {d.Code}{Link(d)}",
            SmsKind.Promoted => $"繰り上げ確定：{what}。予約ID {d.Code}{Link(d)}",
            SmsKind.Cancelled => $"予約キャンセル：{what}。予約ID {d.Code}",
            SmsKind.Reminder => $"本日 {Time(d)} {Lead(title, "、")}{Number(d.PartySize)}名。10分前にお越しください。予約ID {d.Code}{Link(d)}",
            SmsKind.Entered => $"抽選エントリ受付：{what}。予約ID {d.Code}{Link(d)}",
            SmsKind.Won => $"抽選で予約確定：{what}。予約ID {d.Code}{Link(d)}",
            SmsKind.NotSelected => $"抽選に外れました：{what}。予約ID {d.Code}{Link(d)}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SMS kind."),
        };
    }
}
