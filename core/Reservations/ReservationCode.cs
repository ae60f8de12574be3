using System.Security.Cryptography;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// The code a visitor shows at the gate: 40 bits from a cryptographic RNG written as two groups of
/// four Crockford base32 characters (K7M2-QX9P). Read case-insensitively, hyphen optional, with
/// Crockford's forgiving letters (I and L read as 1, O as 0).
/// </summary>
public readonly record struct ReservationCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 8;

    private ReservationCode(string value) => Value = value;

    /// <summary>The eight characters without the hyphen (used as storage key).</summary>
    public string Value { get; }

    /// <summary>
    /// The first two characters (10 bits): the code's partition in the Codes table. Codes claimed in
    /// one transaction share a shelf (<see cref="NewOnOneShelf(int)"/>).
    /// </summary>
    public string Shelf => Value[..ShelfLength];

    public const int ShelfLength = 2;

    public override string ToString() => $"{Value[..4]}-{Value[4..]}";

    /// <summary>A stored code as visitors read it (K7M2-QX9P); anything that is not a code comes back as it is.</summary>
    public static string Display(string stored) => TryParse(stored, out var code) ? code.ToString() : stored;

    /// <summary>The operating system's cryptographic RNG, the one source of new codes.</summary>
    public static RandomNumberGenerator Source { get; } = RandomNumberGenerator.Create();

    /// <summary>A new code: every one of its 40 bits comes from <see cref="Source"/>.</summary>
    public static ReservationCode New() => New(Source);

    /// <summary>A new code from <paramref name="random"/> (tests pass a scripted one).</summary>
    public static ReservationCode New(RandomNumberGenerator random)
    {
        Span<byte> bits = stackalloc byte[5];
        random.GetBytes(bits);
        return FromBytes(bits);
    }

    /// <summary>
    /// <paramref name="count"/> new codes on one shelf, so that they can be claimed in one
    /// transaction: the shelf is the first code's, drawn like any code; the other 30 bits of each
    /// code are its own. Every bit still comes from the generator.
    /// </summary>
    public static IReadOnlyList<ReservationCode> NewOnOneShelf(int count) => NewOnOneShelf(count, Source);

    public static IReadOnlyList<ReservationCode> NewOnOneShelf(int count, RandomNumberGenerator random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var codes = new ReservationCode[count];
        for (var i = 0; i < count; i++)
        {
            var code = New(random);
            codes[i] = i == 0 ? code : new ReservationCode(codes[0].Shelf + code.Value[ShelfLength..]);
        }

        return codes;
    }

    /// <summary>Writes 40 bits (5 bytes) as eight 5-bit symbols.</summary>
    public static ReservationCode FromBytes(ReadOnlySpan<byte> fiveBytes)
    {
        if (fiveBytes.Length != 5)
        {
            throw new ArgumentException("A code holds exactly 40 bits.", nameof(fiveBytes));
        }

        ulong bits = 0;
        foreach (var b in fiveBytes)
        {
            bits = (bits << 8) | b;
        }

        Span<char> chars = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }

        return new ReservationCode(new string(chars));
    }

    /// <summary>A code known to be well formed (a stored one); throws <see cref="FormatException"/> otherwise.</summary>
    public static ReservationCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new FormatException($"'{text}' is not a reservation code.");

    public static bool TryParse(string? text, out ReservationCode code)
    {
        code = default;
        if (text is null || text.Length is < Length or > Length + 1)
        {
            return false;
        }

        Span<char> chars = stackalloc char[Length];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToUpperInvariant(text[i]);
            if (c == '-' && i == 4 && text.Length == Length + 1)
            {
                continue;
            }

            c = c switch { 'I' or 'L' => '1', 'O' => '0', _ => c };
            if (n == Length || !Alphabet.Contains(c))
            {
                return false;
            }

            chars[n++] = c;
        }

        if (n != Length)
        {
            return false;
        }

        code = new ReservationCode(new string(chars));
        return true;
    }
}
