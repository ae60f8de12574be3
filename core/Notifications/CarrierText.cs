using System.Text;

namespace FestivalReservations.Core.Notifications;

/// <summary>
/// What Korean carriers deliver. An SMS from abroad reaches the phone only in EUC-KR (KS X 1001):
/// Hangul, Latin, kana, the traditional Chinese characters of KS X 1001 and its symbols; an emoji,
/// a simplified Chinese character or anything else outside it breaks the message. Carriers also
/// put <see cref="InternationalPrefix"/> in front, which counts against the segment budget.
/// </summary>
public static class CarrierText
{
    /// <summary>What Korean carriers prefix to an SMS sent from abroad.</summary>
    public const string InternationalPrefix = "[국제발신]";

    /// <summary>
    /// EUC-KR proper (code page 51949, KS X 1001). Code page 949 (Unified Hangul Code) is a superset
    /// that also holds the 8,822 Hangul syllables EUC-KR lacks, so a text that passes here passes there.
    /// </summary>
    public const int EucKrCodePage = 51949;

    /// <summary>Code page 949 (ks_c_5601-1987, Unified Hangul Code), which Korean phones read.</summary>
    public const int UnifiedHangulCodePage = 949;

    private static readonly Encoding EucKr = Strict(EucKrCodePage);

    private static readonly Encoding Uhc = Strict(UnifiedHangulCodePage);

    /// <summary>True when every character survives EUC-KR and none is a control character.</summary>
    public static bool CanCarry(string text) => !text.Any(char.IsControl) && RoundTrips(EucKr, text);

    /// <summary>True when the text encodes in code page 949 (what <see cref="CanCarry"/> implies).</summary>
    public static bool EncodesIn949(string text) => RoundTrips(Uhc, text);

    /// <summary>The characters of <paramref name="text"/> that EUC-KR cannot carry (for messages and tests).</summary>
    public static string Uncarriable(string text) =>
        string.Concat(text.EnumerateRunes().Select(r => r.ToString()).Where(r => !CanCarry(r)).Distinct());

    /// <summary>
    /// <paramref name="text"/> with what EUC-KR lacks written in what it has: accents dropped
    /// (Café → Cafe), typographic quotes and dashes made plain, the Japanese long-vowel mark ー as
    /// ― and the middle dot ・ as ·; null when a character is still left that carriers drop
    /// (an emoji, a simplified Chinese character, a Japanese kanji form KS X 1001 lacks).
    /// </summary>
    public static string? Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            // Accents on Latin letters only (U+0300-U+036F): kana's voicing marks (U+3099) stay.
            if (c is >= '\u0300' and <= '\u036F')
            {
                continue;
            }

            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u02BC' => "'",
                '\u201C' or '\u201D' => "\"",
                '\u2013' or '\u2014' or '\u2212' => "-",
                '\u2026' => "...",
                '\u00A0' => " ",
                '\u30FC' => "\u2015",
                '\u30FB' => "\u00B7",
                '\u301C' => "\uFF5E",
                _ => c.ToString(),
            });
        }

        var folded = builder.ToString().Normalize(NormalizationForm.FormC);
        return CanCarry(folded) ? folded : null;
    }

    private static bool RoundTrips(Encoding encoding, string text) =>
        encoding.GetString(encoding.GetBytes(text)) == text;

    private static Encoding Strict(int codePage) =>
        CodePagesEncodingProvider.Instance.GetEncoding(codePage, new EncoderReplacementFallback("?"), new DecoderReplacementFallback("\uFFFD"))
        ?? throw new InvalidOperationException($"Code page {codePage} is not available.");
}
