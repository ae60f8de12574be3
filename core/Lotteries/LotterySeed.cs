using System.Security.Cryptography;
using System.Text;

namespace FestivalReservations.Core.Lotteries;

/// <summary>
/// The commit-reveal seed and the draw order it fixes: the order is a pure function of the seed
/// and the codes, so anyone can recompute it once the seed is revealed, and a draw that stopped
/// halfway continues in the same order.
/// </summary>
public static class LotterySeed
{
    public const int Bytes = 32;

    /// <summary>A new seed from the OS CSPRNG, as lowercase hex.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Hex SHA-256 of the seed's bytes (not of its hex text).</summary>
    public static string Hash(string seedHex) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(seedHex)));

    /// <summary>An entry's place in the order: HMAC-SHA256 keyed with the seed's bytes over the code as written (K7M2-QX9P, UTF-8), as hex.</summary>
    public static string Rank(string seedHex, string displayCode) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(seedHex), Encoding.UTF8.GetBytes(displayCode)));

    /// <summary>What the public draw view publishes of a code: hex SHA-256 of the code as written (UTF-8).</summary>
    public static string CodeHash(string displayCode) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(displayCode)));

    /// <summary>Items in draw order: ascending by <see cref="Rank"/> (hex of equal length sorts as the bytes do).</summary>
    public static IReadOnlyList<T> Order<T>(string seedHex, IEnumerable<T> items, Func<T, string> displayCode) =>
        items.Select(i => (Item: i, Code: displayCode(i)))
            .Select(x => (x.Item, x.Code, Rank: Rank(seedHex, x.Code)))
            .OrderBy(x => x.Rank, StringComparer.Ordinal).ThenBy(x => x.Code, StringComparer.Ordinal)
            .Select(x => x.Item)
            .ToList();

    public static bool IsSeed(string? text) =>
        text is { Length: Bytes * 2 } && text.All(Uri.IsHexDigit);
}
