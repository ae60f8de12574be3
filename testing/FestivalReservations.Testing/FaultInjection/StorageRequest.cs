using System.Text;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>One storage request as the proxy read it: what <see cref="CallClassifier"/> and the rules look at.</summary>
public sealed class StorageRequest(string method, string target, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
{
    public string Method { get; } = method;

    /// <summary>The request target as sent (origin form: path and query).</summary>
    public string Target { get; } = target;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    /// <summary>The body, de-chunked; empty when there is none.</summary>
    public byte[] Body { get; } = body;

    /// <summary>The path as sent (still percent-encoded), without the query.</summary>
    public string Path => PathAndQuery().Path;

    /// <summary>The query without its '?', still encoded; empty when there is none.</summary>
    public string Query => PathAndQuery().Query;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Parses a whole request (head and body, CRLF line ends) captured from the wire, e.g. a sample file.</summary>
    public static StorageRequest Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        var message = new WireReader(stream).ReadRequestAsync(() => Task.CompletedTask, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new InvalidDataException("No request in the bytes given.");
        return message.ToRequest();
    }

    public override string ToString() => $"{Method} {Target}";

    private (string Path, string Query) PathAndQuery()
    {
        var target = Target;
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            target = new Uri(target).PathAndQuery; // absolute form, as a forward proxy would get it
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, "") : (target[..question], target[(question + 1)..]);
    }
}
