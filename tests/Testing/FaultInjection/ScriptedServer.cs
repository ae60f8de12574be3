using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>
/// A loopback TCP server that answers each request with the next scripted response, byte for
/// byte, and keeps what it received: to check how the proxy frames what no Azurite sends.
/// A response ending the script's "close" closes the connection after it.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<(string Response, bool Close)> _script;
    private readonly List<string> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _connections;
    private int _disposed;

    public ScriptedServer(params (string Response, bool Close)[] script)
    {
        _script = new(script);
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The requests received, head and body as they came.</summary>
    public IReadOnlyList<string> Received
    {
        get { lock (_received) { return [.. _received]; } }
    }

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            var stream = client.GetStream();
            while (await ReadRequestAsync(stream) is { } request)
            {
                lock (_received)
                {
                    _received.Add(request);
                }

                var (response, close) = _script.Dequeue();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                if (close)
                {
                    break;
                }
            }
        }
    }

    private async Task<string?> ReadRequestAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!IsComplete(text.ToString()))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static bool IsComplete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = text[..end];
        var body = text[(end + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null || body.Length >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
