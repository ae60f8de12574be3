using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Tickets;

/// <summary>
/// A signed ticket as written in its link and QR code: the reservation code (8 characters), the
/// id of the key that signed it (1), the mark of its festival day (1, <see cref="DayMark"/>) and a
/// MAC truncated to 40 bits (8), all in Crockford base32, 18 characters (<c>K7M2QX9P1VABCD2345</c>).
/// Short on purpose: its link has to fit a Korean SMS. Tickets sent before the day mark existed
/// (17 characters, <see cref="Day"/> null) still read and verify. Read like a code:
/// case-insensitively, hyphens ignored, I and L as 1, O as 0.
/// </summary>
public readonly record struct Ticket(ReservationCode Code, char KeyId, string Mac, char? Day = null)
{
    public const int MacLength = 8;

    /// <summary>A ticket signed now: code, key id, day mark, MAC.</summary>
    public const int Length = ReservationCode.Length + 2 + MacLength;

    /// <summary>A ticket signed before the day mark: code, key id, MAC.</summary>
    public const int LegacyLength = ReservationCode.Length + 1 + MacLength;

    public override string ToString() => Code.Value + KeyId + (Day?.ToString() ?? "") + Mac;

    public static bool IsKeyId(string? id) => id is { Length: 1 } && ReservationCode.Alphabet.Contains(id[0]);

    /// <summary>
    /// The readable mark of a festival day: its day number since 1970-01-01 modulo 32, as one
    /// Crockford character. Two festival Sundays share a mark only 224 days apart, so within a
    /// season a tablet that knows today's date tells another day's ticket from today's without
    /// its key. Not a secret and not a proof: the MAC (under the day's key) is.
    /// </summary>
    public static char DayMark(DateOnly date) =>
        ReservationCode.Alphabet[(date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) % ReservationCode.Alphabet.Length];

    /// <summary>A ticket's text with hyphens and spaces dropped, letters read as Crockford does; false when it cannot be one.</summary>
    public static bool TryParse(string? text, out Ticket ticket)
    {
        ticket = default;
        if (text is null || text.Length is < LegacyLength or > Length + 4)
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

        if (n is not (Length or LegacyLength) || !ReservationCode.TryParse(new string(chars[..ReservationCode.Length]), out var code))
        {
            return false;
        }

        var keyId = chars[ReservationCode.Length];
        ticket = n == Length
            ? new Ticket(code, keyId, new string(chars[(ReservationCode.Length + 2)..n]), chars[ReservationCode.Length + 1])
            : new Ticket(code, keyId, new string(chars[(ReservationCode.Length + 1)..n]));
        return true;
    }

    /// <summary>The first 40 bits of <paramref name="mac"/> as eight Crockford base32 characters.</summary>
    public static string Truncate(ReadOnlySpan<byte> mac) => ReservationCode.FromBytes(mac[..5]).Value;
}
