using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Reservations;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Tickets;

/// <summary>
/// Signs and verifies tickets. A ticket's MAC is HMAC-SHA256 under the *day key* of its session's
/// festival day, itself HMAC-SHA256 under the signing key: day key = HMAC(secret, "ticket-day:" +
/// yyyy-MM-dd), MAC = first 40 bits of HMAC(day key, "ticket:" + code). The server derives both
/// from the secret; a staff tablet is handed the day keys of today only, checks tickets offline
/// with them, and a lost tablet exposes that one day, never the secret.
/// </summary>
public sealed class TicketSigner(IOptions<TicketOptions> options, IOptions<FestivalOptions> festival)
{
    private const string DayLabel = "ticket-day:";
    private const string TicketLabel = "ticket:";

    private readonly Lazy<IReadOnlyDictionary<string, byte[]>> _secrets = new(() =>
        options.Value.Keys().ToDictionary(k => k.Key, k => Encoding.UTF8.GetBytes(k.Value), StringComparer.Ordinal));

    private char CurrentKeyId => options.Value.CurrentKeyId.Trim().ToUpperInvariant()[0];

    /// <summary>Where ticket links point: <c>Festival:PublicBaseUrl</c> without its trailing slash.</summary>
    public string PublicBaseUrl => festival.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>The day key of <paramref name="keyId"/> for <paramref name="date"/>; null when the key id is not configured.</summary>
    public byte[]? DayKey(char keyId, DateOnly date) =>
        _secrets.Value.TryGetValue(keyId.ToString(), out var secret) ? DayKey(secret, date) : null;

    /// <summary>The pure derivation (the staff page does the next step in the browser).</summary>
    public static byte[] DayKey(byte[] secret, DateOnly date) =>
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(DayLabel + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>The truncated MAC of a code under a day key.</summary>
    public static string Mac(byte[] dayKey, ReservationCode code) =>
        Ticket.Truncate(HMACSHA256.HashData(dayKey, Encoding.UTF8.GetBytes(TicketLabel + code.Value)));

    /// <summary>The ticket of <paramref name="code"/> for a session on <paramref name="date"/>, under the current key, with the day's mark.</summary>
    public Ticket Sign(ReservationCode code, DateOnly date)
    {
        var keyId = CurrentKeyId;
        return new Ticket(code, keyId, Mac(DayKey(keyId, date)!, code), Ticket.DayMark(date));
    }

    /// <summary>
    /// Whether <paramref name="ticket"/> was signed by one of our keys for a session on
    /// <paramref name="date"/>: its day mark, when it has one, is that day's, and its MAC holds
    /// under that day's key (the mark is bound by the day key, so it needs no MAC of its own).
    /// </summary>
    public bool Verify(Ticket ticket, DateOnly date) =>
        (ticket.Day is not { } day || day == Ticket.DayMark(date))
        && DayKey(ticket.KeyId, date) is { } key
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, ticket.Code)), Encoding.ASCII.GetBytes(ticket.Mac));

    /// <summary>The ticket page of a stored code, relative (<c>/t/{ticket}</c>), as reservations carry it.</summary>
    public string PathFor(string code, DateOnly date) => "/t/" + Sign(ReservationCode.Parse(code), date);

    /// <summary>The absolute link an SMS carries.</summary>
    public string UrlFor(string code, DateOnly date) => PublicBaseUrl + PathFor(code, date);

    /// <summary>The day keys of every configured key id for <paramref name="date"/>, base64url, for staff tablets.</summary>
    public IReadOnlyList<(string KeyId, string Key)> DayKeys(DateOnly date) =>
        _secrets.Value.Keys.Order(StringComparer.Ordinal)
            .Select(id => (id, Base64Url(DayKey(id[0], date)!)))
            .ToList();

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
