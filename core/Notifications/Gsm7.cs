namespace FestivalReservations.Core.Notifications;

/// <summary>
/// The GSM 03.38 default alphabet (7-bit) and its extension table: English messages must stay in
/// it, or the whole message falls back to UCS-2 and one segment holds 70 characters instead of 160.
/// </summary>
public static class Gsm7
{
    public const int SingleSegmentSeptets = 160;
    public const int Ucs2SegmentChars = 70;
    public const int Ucs2ConcatenatedSegmentChars = 67;

    // The basic table without ESC (0x1B), which only introduces the extension table.
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Each of these costs two septets (ESC + the character).
    private const string Extension = "\f^{}\\[~]|€";

    public static bool IsBasic(char c) => Basic.Contains(c);

    public static bool IsExtension(char c) => Extension.Contains(c);

    /// <summary>True when every character of <paramref name="text"/> can be sent in GSM-7.</summary>
    public static bool CanEncode(string text) => text.All(c => IsBasic(c) || IsExtension(c));

    /// <summary>Septets <paramref name="text"/> takes in GSM-7 (extension characters count two); null when it cannot be encoded.</summary>
    public static int? SeptetCount(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (IsBasic(c))
            {
                count++;
            }
            else if (IsExtension(c))
            {
                count += 2;
            }
            else
            {
                return null;
            }
        }

        return count;
    }

    /// <summary>UCS-2 characters (UTF-16 code units; a character outside the BMP, such as an emoji, counts two).</summary>
    public static int Ucs2Length(string text) => text.Length;

    /// <summary>True when the text holds a character outside the Basic Multilingual Plane (emoji and the like).</summary>
    public static bool HasSurrogates(string text) => text.Any(char.IsSurrogate);
}
