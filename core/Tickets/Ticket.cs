using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Tickets;

/// <summary>
/// A signed ticket as written in its link and QR code: the reservation code (8 characters), the
/// id of the key that signed it (1) and a MAC truncated to 40 bits (8), all in Crockford base32,
/// 17 characters (<c>K7M2QX9P1ABCD2345</c>). Short on purpose: its link has to fit a Korean SMS.
/// Read like a code: case-insensitively, hyphens ignored, I and L as 1, O as 0.
/// </summary>
public readonly record struct Ticket(ReservationCode Code, char KeyId, string Mac)
{
    public const int MacLength = 8;
    public const int Length = ReservationCode.Length + 1 + MacLength;

    public override string ToString() => Code.Value + KeyId + Mac;

    public static bool IsKeyId(string? id) => id is { Length: 1 } && ReservationCode.Alphabet.Contains(id[0]);

    /// <summary>A ticket's text with hyphens and spaces dropped, letters read as Crockford does; null when it cannot be one.</summary>
    public static bool TryParse(string? text, out Ticket ticket)
    {
        ticket = default;
        if (text is null || text.Length is < Length or > Length + 4)
        {
            return false;
        }

        Span<char> chars = stackalloc char[Length];
        var n = 0;
        foreach (var raw in text)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch { 'I' or 'L' => '1', 'O' => '0', var other => other };
            if (n == Length || !ReservationCode.Alphabet.Contains(c))
            {
                return false;
            }

            chars[n++] = c;
        }

        if (n != Length || !ReservationCode.TryParse(new string(chars[..ReservationCode.Length]), out var code))
        {
            return false;
        }

        ticket = new Ticket(code, chars[ReservationCode.Length], new string(chars[(ReservationCode.Length + 1)..]));
        return true;
    }

    /// <summary>The first 40 bits of <paramref name="mac"/> as eight Crockford base32 characters.</summary>
    public static string Truncate(ReadOnlySpan<byte> mac) => ReservationCode.FromBytes(mac[..5]).Value;
}
