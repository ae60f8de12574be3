using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>
/// A TCP proxy on a free loopback port in front of one Azurite service port, for tests: it reads
/// each HTTP/1.1 request (keep-alive, chunked, 100-continue), classifies it (<see cref="CallKind"/>),
/// asks its rules (<see cref="Add"/>) for a <see cref="Fault"/>, and relays the request and answer
/// faithfully unless one applies. Every injected fault is logged in <see cref="Injected"/>.
/// </summary>
/// <remarks>
/// One upstream connection per client connection, so the client's keep-alive and the server's
/// stay paired. Without rules it is a pass-through; when the target is down, client connections
/// are reset, as they would be without the proxy.
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules = [];
    private readonly List<InjectedFault> _injected = [];
    private readonly List<RecordedRequest> _recorded = [];
    private readonly Dictionary<CallKind, int> _counts = [];
    private readonly ConcurrentDictionary<ProxyConnection, Task> _connections = new();
    private readonly Task _accepting;
    private DateTimeOffset _blackHoleEnds = DateTimeOffset.MinValue;
    private bool _disposed;

    private FaultProxy(int targetPort)
    {
        TargetPort = targetPort;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512); // a rush opens many connections at once
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a proxy on a free 127.0.0.1 port that forwards to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static Task<FaultProxy> StartAsync(int targetPort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetPort, 1);
        return Task.FromResult(new FaultProxy(targetPort));
    }

    /// <summary>The port the proxy listens on (127.0.0.1).</summary>
    public int Port { get; }

    public int TargetPort { get; }

    /// <summary>Keep every request's bytes as received in <see cref="Recorded"/> (to capture samples).</summary>
    public bool RecordRequests { get; set; }

    /// <summary>The faults injected so far, oldest first.</summary>
    public IReadOnlyList<InjectedFault> Injected
    {
        get { lock (_lock) { return [.. _injected]; } }
    }

    /// <summary>The requests seen while <see cref="RecordRequests"/> was on, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Recorded
    {
        get { lock (_lock) { return [.. _recorded]; } }
    }

    /// <summary>True while a black hole lasts.</summary>
    public bool IsBlackHoled
    {
        get { lock (_lock) { return DateTimeOffset.UtcNow < _blackHoleEnds; } }
    }

    /// <summary>Adds a rule; rules are asked in the order added and the first fault decided wins (every matching rule still counts the call).</summary>
    public FaultProxy Add(FaultRule rule)
    {
        lock (_lock)
        {
            _rules.Add(rule);
        }

        return this;
    }

    public bool Remove(FaultRule rule)
    {
        lock (_lock)
        {
            return _rules.Remove(rule);
        }
    }

    public void ClearRules()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Requests of a kind seen so far, faulted or not.</summary>
    public int Count(CallKind kind)
    {
        lock (_lock)
        {
            return _counts.GetValueOrDefault(kind);
        }
    }

    /// <summary>
    /// For <paramref name="duration"/> from now, on every connection, old and new: connections are
    /// accepted and requests read, but nothing is forwarded and nothing answered (not even a
    /// 100 Continue). When it ends, a held request whose client is still waiting goes on as usual;
    /// one whose client gave up is dropped unforwarded, and held answers are sent.
    /// </summary>
    public void BlackHole(TimeSpan duration)
    {
        lock (_lock)
        {
            var ends = DateTimeOffset.UtcNow + duration;
            _blackHoleEnds = ends > _blackHoleEnds ? ends : _blackHoleEnds;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync();
        _listener.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll([_accepting, .. _connections.Values]).WaitAsync(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }

    /// <summary>Classifies, counts, records and decides a request (the first rule's fault wins).</summary>
    internal (StorageCall Call, Fault? Fault) Decide(WireMessage message)
    {
        var call = StorageCall.Of(message.ToRequest());
        lock (_lock)
        {
            _counts[call.Kind] = _counts.GetValueOrDefault(call.Kind) + 1;
            if (RecordRequests)
            {
                _recorded.Add(new RecordedRequest(call.Kind, message.Bytes()));
            }

            Fault? chosen = null;
            foreach (var rule in _rules)
            {
                var fault = rule.Decide(call);
                chosen ??= fault;
            }

            if (chosen is not null)
            {
                _injected.Add(new InjectedFault(DateTimeOffset.UtcNow, call.Kind, chosen, call.Method, call.Path));
            }

            return (call, chosen);
        }
    }

    /// <summary>Returns once no black hole lasts (at once when none does).</summary>
    internal async Task WaitOutBlackHoleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan left;
            lock (_lock)
            {
                left = _blackHoleEnds - DateTimeOffset.UtcNow;
            }

            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left, cancellationToken);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            var connection = new ProxyConnection(this, client, TargetPort);
            var running = Task.Run(() => connection.RunAsync(_stopping.Token));
            _connections[connection] = running;
            _ = running.ContinueWith(done => _connections.TryRemove(connection, out var _), TaskScheduler.Default);
        }
    }
}

/// <summary>A request as the proxy received it, with the kind it was classified as.</summary>
public sealed record RecordedRequest(CallKind Kind, byte[] Raw);
