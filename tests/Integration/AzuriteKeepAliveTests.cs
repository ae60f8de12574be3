using System.Net.Sockets;
using FestivalReservations.Testing;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// Azurite keeps an idle connection for <see cref="AzuriteProcess.KeepAliveSeconds"/>, not its own
/// 5 s: a pool's connection idle for a few seconds is still there for the next call, so a pause in
/// a run costs no new connections (which a busy Azurite takes seconds to serve).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteKeepAliveTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AConnectionIdleLongerThanAzuritesDefault_IsReusedForTheNextCall()
    {
        var connects = 0;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var tables = new Uri(azurite.TableEndpoint + "/Tables");

        using (var first = await http.GetAsync(tables))
        {
            await first.Content.ReadAsByteArrayAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(6.5));
        using (var second = await http.GetAsync(tables))
        {
            await second.Content.ReadAsByteArrayAsync();
        }

        Assert.True(AzuriteProcess.KeepAliveSeconds > 60, "Azurite must keep connections longer than .NET pools do (1 min).");
        Assert.Equal(1, connects);
    }
}
