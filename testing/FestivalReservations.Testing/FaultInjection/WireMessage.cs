using System.Globalization;
using System.Text;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>One HTTP/1.1 message as read: its head and body bytes as they arrived, and the body de-chunked.</summary>
internal sealed record WireMessage(string StartLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Head)
{
    public byte[] RawBody { get; init; } = [];

    public byte[] Body { get; init; } = [];

    /// <summary>The body ran to the end of the connection (a response with neither length nor chunks).</summary>
    public bool ClosesConnection
    {
        get => field || (Header("Connection") is { } connection && connection.Contains("close", StringComparison.OrdinalIgnoreCase));
        init;
    }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool IsChunked =>
        Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);

    public long? ContentLength =>
        long.TryParse(Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;

    /// <summary>A response's status code (0 for a request).</summary>
    public int StatusCode =>
        StartLine.StartsWith("HTTP/", StringComparison.Ordinal) && StartLine.Split(' ') is [_, var code, ..]
            && int.TryParse(code, CultureInfo.InvariantCulture, out var status) ? status : 0;

    /// <summary>The message as it arrived.</summary>
    public byte[] Bytes() => [.. Head, .. RawBody];

    /// <summary>The request to send on, without <c>Expect</c>: the proxy answered the 100-continue itself and has the body.</summary>
    public byte[] ForwardBytes()
    {
        if (Header("Expect") is null)
        {
            return Bytes();
        }

        var head = new StringBuilder(StartLine).Append("\r\n");
        foreach (var (name, value) in Headers.Where(h => !h.Key.Equals("Expect", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return [.. Encoding.Latin1.GetBytes(head.Append("\r\n").ToString()), .. RawBody];
    }

    public StorageRequest ToRequest() =>
        StartLine.Split(' ') is [var method, var target, ..]
            ? new StorageRequest(method, target, Headers, Body)
            : throw new InvalidDataException($"Not a request line: '{StartLine}'.");

    public static WireMessage FromHead(byte[] head)
    {
        var lines = Encoding.Latin1.GetString(head).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            throw new InvalidDataException("An empty message head.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"Not a header line: '{line}'.");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return new WireMessage(lines[0], headers, head);
    }
}
