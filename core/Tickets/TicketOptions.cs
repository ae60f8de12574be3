namespace FestivalReservations.Core.Tickets;

/// <summary>
/// The secrets tickets are signed with. <see cref="SigningKeys"/> is one setting (one Key Vault
/// secret in Azure) listing every key still honoured, each under a one-character id that is
/// written into the tickets it signs: <c>1:first-secret,2:second-secret</c>. Rotation: append a
/// key under a new id and make it <see cref="CurrentKeyId"/>; tickets already sent name their key
/// id and verify as long as their key stays listed.
/// </summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";

    /// <summary>The shortest secret accepted (characters; its UTF-8 bytes are the HMAC key).</summary>
    public const int MinKeyLength = 32;

    /// <summary><c>id:secret</c> pairs separated by commas; ids are one Crockford base32 character.</summary>
    public string SigningKeys { get; set; } = "";

    /// <summary>The key id new tickets are signed with; one of <see cref="SigningKeys"/>.</summary>
    public string CurrentKeyId { get; set; } = "";

    /// <summary>The keys by id (an entry without a colon comes back with an empty id, which never validates).</summary>
    public IReadOnlyDictionary<string, string> Keys() =>
        SigningKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
                ? (Id: pair[..colon].Trim().ToUpperInvariant(), Secret: pair[(colon + 1)..].Trim())
                : (Id: "", Secret: pair))
            .GroupBy(k => k.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Secret : "", StringComparer.Ordinal);

    /// <summary>What is wrong with these options, or null when they can sign and verify tickets.</summary>
    public string? Problem()
    {
        var keys = Keys();
        if (keys.Count == 0)
        {
            return "Tickets:SigningKeys must list at least one key as id:secret.";
        }

        foreach (var (id, secret) in keys)
        {
            if (!Ticket.IsKeyId(id))
            {
                return "Tickets:SigningKeys ids are one character of 0-9 and A-Z without I, L, O and U, each listed once.";
            }

            if (secret.Length < MinKeyLength)
            {
                return $"Tickets:SigningKeys: the key of id {id} must be at least {MinKeyLength} characters.";
            }
        }

        return keys.ContainsKey(CurrentKeyId.Trim().ToUpperInvariant()) ? null : "Tickets:CurrentKeyId must name one of Tickets:SigningKeys.";
    }
}
