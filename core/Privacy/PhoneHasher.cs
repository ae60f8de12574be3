using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Privacy;

/// <summary>
/// A keyed hash (HMAC-SHA256) of a phone number: the row key of the marker that stops a phone
/// booking a session twice, without the number itself appearing in a key.
/// </summary>
public sealed class PhoneHasher(IOptions<PrivacyOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.PhoneHashKey);

    public string Hash(string e164)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(e164));
        return Convert.ToHexStringLower(mac.AsSpan(0, 20));
    }
}
