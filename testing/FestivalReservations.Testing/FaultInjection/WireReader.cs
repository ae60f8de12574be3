using System.Text;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>
/// Reads HTTP/1.1 messages off one connection, one at a time, keeping each exactly as it arrived
/// (the proxy relays the bytes it read, so signatures and framing stay the client's own).
/// </summary>
internal sealed class WireReader(Stream stream)
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Bytes taken off the stream so far (to tell a connection that closed before answering).</summary>
    public long Consumed { get; private set; }

    /// <summary>
    /// The next request; null when the peer closed the connection between messages.
    /// <paramref name="sendContinue"/> is awaited before the body of a request that asked for
    /// <c>Expect: 100-continue</c>.
    /// </summary>
    public async Task<WireMessage?> ReadRequestAsync(Func<Task> sendContinue, CancellationToken cancellationToken)
    {
        if (await ReadHeadAsync(cancellationToken) is not { } head)
        {
            return null;
        }

        if (head.Header("Expect") is { } expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase) && HasRequestBody(head))
        {
            await sendContinue();
        }

        return await WithBodyAsync(head, HasRequestBody(head), untilClose: false, cancellationToken);
    }

    /// <summary>The response to a request made with <paramref name="method"/>, after any 1xx; null when the peer closed before a byte of it.</summary>
    public async Task<WireMessage?> ReadResponseAsync(string method, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await ReadHeadAsync(cancellationToken) is not { } head)
            {
                return null;
            }

            var status = head.StatusCode;
            if (status is >= 100 and < 200 and not 101)
            {
                continue; // interim (100 Continue): the final answer follows
            }

            var hasBody = method != "HEAD" && status is not (204 or 304);
            return await WithBodyAsync(head, hasBody, untilClose: hasBody, cancellationToken);
        }
    }

    private static bool HasRequestBody(WireMessage head) =>
        head.IsChunked || (head.ContentLength ?? 0) > 0;

    private async Task<WireMessage> WithBodyAsync(WireMessage head, bool hasBody, bool untilClose, CancellationToken cancellationToken)
    {
        if (!hasBody)
        {
            return head;
        }

        if (head.IsChunked)
        {
            var (raw, body) = await ReadChunkedAsync(cancellationToken);
            return head with { RawBody = raw, Body = body };
        }

        if (head.ContentLength is { } length)
        {
            var body = await ReadExactAsync(length, cancellationToken);
            return head with { RawBody = body, Body = body };
        }

        if (!untilClose)
        {
            return head;
        }

        var rest = await ReadToEndAsync(cancellationToken);
        return head with { RawBody = rest, Body = rest, ClosesConnection = true };
    }

    private async Task<WireMessage?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = new MemoryStream();
        var lineLength = 0;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return head.Length == 0 ? null : throw new EndOfStreamException("The connection closed in the middle of a message head.");
            }

            var b = _buffer[_start++];
            if (head.Length == 0 && (b == '\r' || b == '\n'))
            {
                continue; // blank lines between messages
            }

            head.WriteByte(b);
            if (b == '\n')
            {
                if (lineLength <= 1)
                {
                    return WireMessage.FromHead(head.ToArray());
                }

                lineLength = 0;
            }
            else
            {
                lineLength++;
            }

            if (head.Length > MaxHeadBytes)
            {
                throw new InvalidDataException($"A message head longer than {MaxHeadBytes} bytes.");
            }
        }
    }

    private async Task<(byte[] Raw, byte[] Body)> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var raw = new MemoryStream();
        var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            raw.Write(line);
            var size = Encoding.ASCII.GetString(line).Split(';')[0].Trim();
            var length = Convert.ToInt64(size, 16);
            if (length == 0)
            {
                // Trailers, then the empty line that ends the message.
                while (true)
                {
                    var trailer = await ReadLineAsync(cancellationToken);
                    raw.Write(trailer);
                    if (trailer.Length <= 2)
                    {
                        return (raw.ToArray(), body.ToArray());
                    }
                }
            }

            var chunk = await ReadExactAsync(length, cancellationToken);
            raw.Write(chunk);
            body.Write(chunk);
            raw.Write(await ReadExactAsync(2, cancellationToken)); // CRLF after the chunk
        }
    }

    private async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException("The connection closed in the middle of a chunked body.");
            }

            var b = _buffer[_start++];
            line.WriteByte(b);
            if (b == '\n')
            {
                return line.ToArray();
            }
        }
    }

    private async Task<byte[]> ReadExactAsync(long count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"The connection closed after {filled} of {count} body bytes.");
            }

            var take = (int)Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var rest = new MemoryStream();
        rest.Write(_buffer, _start, _end - _start);
        _start = _end;
        while (await FillAsync(cancellationToken))
        {
            rest.Write(_buffer, _start, _end - _start);
            _start = _end;
        }

        return rest.ToArray();
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        Consumed += _end;
        return _end > 0;
    }
}
