using System.Net;
using System.Net.Sockets;

namespace FestivalReservations.Testing;

public static class FreePorts
{
    /// <summary>A loopback port that was free a moment ago (bound to port 0, then released): another process may take it first.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
