using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FestivalReservations.Core.Abuse;

/// <summary>
/// Who a request comes from, as far as the limits are concerned: the address a trusted proxy saw,
/// grouped the way one client's addresses vary. Pure: the header text and the connection's address go in.
/// </summary>
public static class ClientAddress
{
    /// <summary>An X-Forwarded-For entry longer than this is no address (the longest, [v6%zone]:port, is shorter).</summary>
    public const int MaxEntryLength = 64;

    /// <summary>The key when even the connection has no address (an in-process test server).</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// The client's address. With <paramref name="trustedHops"/> 0 the header is ignored: anyone can
    /// send one. With N, the Nth entry from the end is the one the nearest trusted proxy appended
    /// (Azure's front end: N = 1, the last entry); entries further left are the client's own word.
    /// A header with fewer entries, or an entry that is no address, gives the connection's address.
    /// </summary>
    public static IPAddress? Pick(IEnumerable<string?> forwardedFor, IPAddress? connection, int trustedHops)
    {
        if (trustedHops <= 0)
        {
            return Normalize(connection);
        }

        var entries = forwardedFor.SelectMany(v => (v ?? "").Split(',')).ToList();
        return entries.Count >= trustedHops && ParseEntry(entries[^trustedHops]) is { } address
            ? address
            : Normalize(connection);
    }

    /// <summary>
    /// One X-Forwarded-For entry as an address: <c>203.0.113.7</c>, <c>203.0.113.7:55123</c>,
    /// <c>2001:db8::1</c>, <c>[2001:db8::1]</c> or <c>[2001:db8::1]:443</c>; an IPv4 address mapped
    /// into IPv6 is read as the IPv4 one and a zone is dropped. Anything else (obfuscated names,
    /// <c>unknown</c>, garbage) is null.
    /// </summary>
    public static IPAddress? ParseEntry(string? entry)
    {
        var text = (entry ?? "").Trim();
        if (text.Length is 0 or > MaxEntryLength)
        {
            return null;
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IsPortSuffix(text.AsSpan(close + 1)))
            {
                return null;
            }

            return IPAddress.TryParse(text.AsSpan(1, close - 1), out var bracketed) && bracketed.AddressFamily == AddressFamily.InterNetworkV6
                ? Normalize(bracketed)
                : null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && colon == text.LastIndexOf(':'))
        {
            // One colon: IPv4 with a port (a bare IPv6 address has at least two).
            return IsPortSuffix(text.AsSpan(colon)) && IPAddress.TryParse(text.AsSpan(0, colon), out var withPort)
                && withPort.AddressFamily == AddressFamily.InterNetwork && IsDottedQuad(text.AsSpan(0, colon))
                ? withPort
                : null;
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        // IPAddress.TryParse also takes "1", "0x7f.1" and other forms no proxy writes.
        return address.AddressFamily == AddressFamily.InterNetworkV6 || IsDottedQuad(text) ? Normalize(address) : null;
    }

    /// <summary>
    /// The key a limit counts under: an IPv4 address as is; an IPv6 address by its /64 (one
    /// subscriber's network, inside which a client picks a new address at will); no address, <see cref="Unknown"/>.
    /// </summary>
    public static string KeyOf(IPAddress? address)
    {
        if (Normalize(address) is not { } a)
        {
            return Unknown;
        }

        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            return a.ToString();
        }

        var bytes = a.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static IPAddress? Normalize(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes());
        }

        return address;
    }

    /// <summary>Empty, or ":" and 1-5 digits up to 65535.</summary>
    private static bool IsPortSuffix(ReadOnlySpan<char> rest) =>
        rest.Length == 0 || (rest[0] == ':' && rest.Length is >= 2 and <= 6 && rest[1..].IndexOfAnyExceptInRange('0', '9') < 0
            && int.Parse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture) <= 65535);

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var part in text.ToString().Split('.'))
        {
            if (part.Length is 0 or > 3 || part.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }
}
