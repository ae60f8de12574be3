using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>One client connection and the upstream connection paired with it: request by request, relay or fault.</summary>
internal sealed class ProxyConnection(FaultProxy proxy, Socket client, int targetPort)
{
    private static readonly byte[] Continue = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");

    private readonly NetworkStream _clientStream = new(client, ownsSocket: true);
    private Socket? _upstream;
    private NetworkStream? _upstreamStream;
    private WireReader? _upstreamReader;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = new WireReader(_clientStream);
        var next = Next.Reset;
        try
        {
            while (await reader.ReadRequestAsync(() => SendContinueAsync(cancellationToken), cancellationToken) is { } request)
            {
                next = await HandleAsync(request, cancellationToken);
                if (next != Next.KeepAlive)
                {
                    break;
                }
            }

            if (next == Next.KeepAlive)
            {
                next = Next.Close; // the client closed between requests
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // The client, the target or the proxy broke the connection: so does this.
            next = Next.Reset;
        }
        finally
        {
            End(next);
        }
    }

    /// <summary>Resets both connections (the proxy is stopping).</summary>
    public void Abort() => End(Next.Reset);

    private enum Next
    {
        KeepAlive,
        Close,
        Reset,
    }

    private void End(Next how)
    {
        if (how == Next.Reset)
        {
            Reset(client);
        }
        else
        {
            Close(client);
        }

        _clientStream.Dispose();
        CloseUpstream();
    }

    /// <summary>Relays or faults one request; says what becomes of the connection then.</summary>
    private async Task<Next> HandleAsync(WireMessage request, CancellationToken cancellationToken)
    {
        var (call, fault) = proxy.Decide(request);
        if (fault is BlackHoleFault hole)
        {
            proxy.BlackHole(hole.Duration);
        }

        await proxy.WaitOutBlackHoleAsync(cancellationToken);
        if (ClientGone())
        {
            return Next.Reset; // gave up during a black hole: the request never got through
        }

        switch (fault)
        {
            case ResetBeforeForwardFault:
                return Next.Reset;
            case StatusFault status:
                await _clientStream.WriteAsync(ErrorResponses.For(status.StatusCode, call), cancellationToken);
                return request.ClosesConnection ? Next.Close : Next.KeepAlive;
        }

        var response = await ForwardAsync(request, cancellationToken);
        if (response is null || fault is DropReplyFault)
        {
            return Next.Reset;
        }

        if (fault is DelayFault delay)
        {
            await Task.Delay(delay.Duration, cancellationToken);
        }

        await proxy.WaitOutBlackHoleAsync(cancellationToken);
        await _clientStream.WriteAsync(response.Bytes(), cancellationToken);
        return response.ClosesConnection || request.ClosesConnection ? Next.Close : Next.KeepAlive;
    }

    /// <summary>
    /// Sends the request upstream and reads the answer; null when the target cannot be reached.
    /// A kept-alive upstream connection the target closed while idle is replaced once, as an
    /// HTTP client would: the target never read the request on it.
    /// </summary>
    private async Task<WireMessage?> ForwardAsync(WireMessage request, CancellationToken cancellationToken)
    {
        var bytes = request.ForwardBytes();
        for (var attempt = 1; ; attempt++)
        {
            var reused = _upstream is not null;
            try
            {
                if (_upstreamStream is null)
                {
                    await ConnectUpstreamAsync(cancellationToken);
                }

                var before = _upstreamReader!.Consumed;
                try
                {
                    await _upstreamStream!.WriteAsync(bytes, cancellationToken);
                    if (await _upstreamReader.ReadResponseAsync(request.ToRequest().Method, cancellationToken) is { } response)
                    {
                        if (response.ClosesConnection)
                        {
                            CloseUpstream();
                        }

                        return response;
                    }
                }
                catch (Exception e) when (e is IOException or SocketException && _upstreamReader.Consumed == before && reused && attempt == 1)
                {
                }

                if (!reused || attempt > 1)
                {
                    return null; // closed on a fresh connection: the target is going away
                }

                CloseUpstream();
            }
            catch (SocketException)
            {
                CloseUpstream();
                return null; // refused: the target is down
            }
        }
    }

    private async Task ConnectUpstreamAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, targetPort), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _upstream = socket;
        _upstreamStream = new NetworkStream(socket, ownsSocket: true);
        _upstreamReader = new WireReader(_upstreamStream);
    }

    private void CloseUpstream()
    {
        _upstreamStream?.Dispose();
        _upstream?.Dispose();
        (_upstream, _upstreamStream, _upstreamReader) = (null, null, null);
    }

    private async Task SendContinueAsync(CancellationToken cancellationToken)
    {
        // In a black hole not even this: the client sends its body after its own wait (1 s in .NET).
        if (!proxy.IsBlackHoled)
        {
            await _clientStream.WriteAsync(Continue, cancellationToken);
        }
    }

    /// <summary>The client closed its side (or reset it): a read would return at once with nothing.</summary>
    private bool ClientGone()
    {
        try
        {
            return client.Poll(0, SelectMode.SelectRead) && client.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    /// <summary>Closes with RST rather than FIN: the client sees "connection reset", as when a middlebox or a crashed server drops it.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
