namespace FestivalReservations.Testing.FaultInjection;

/// <summary>
/// A <see cref="FaultProxy"/> in front of Azurite's table port and one in front of its queue port,
/// and a <see cref="ConnectionString"/> that sends tables and queues through them (blobs go
/// straight to Azurite). Rules and black holes given here apply to both.
/// </summary>
public sealed class FaultProxies : IAsyncDisposable
{
    private FaultProxies(FaultProxy tables, FaultProxy queues, int blobPort)
    {
        Tables = tables;
        Queues = queues;
        ConnectionString = AzuriteProcess.ConnectionStringFor(blobPort, queues.Port, tables.Port);
    }

    public FaultProxy Tables { get; }

    public FaultProxy Queues { get; }

    /// <summary>The development account with TableEndpoint and QueueEndpoint on the proxies.</summary>
    public string ConnectionString { get; }

    /// <summary>Proxies in front of a started Azurite's table and queue ports.</summary>
    public static Task<FaultProxies> StartAsync(AzuriteProcess azurite) =>
        StartAsync(azurite.TablePort, azurite.QueuePort, azurite.BlobPort);

    /// <summary>Proxies in front of the table and queue ports given.</summary>
    public static async Task<FaultProxies> StartAsync(int tablePort, int queuePort, int blobPort)
    {
        var tables = await FaultProxy.StartAsync(tablePort);
        try
        {
            return new FaultProxies(tables, await FaultProxy.StartAsync(queuePort), blobPort);
        }
        catch
        {
            await tables.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every fault injected by either proxy, oldest first.</summary>
    public IReadOnlyList<InjectedFault> Injected => [.. Tables.Injected.Concat(Queues.Injected).OrderBy(f => f.Time)];

    /// <summary>Adds the rule to both proxies (one rule, one count and one seeded sequence across them).</summary>
    public FaultProxies Add(FaultRule rule)
    {
        Tables.Add(rule);
        Queues.Add(rule);
        return this;
    }

    public void ClearRules()
    {
        Tables.ClearRules();
        Queues.ClearRules();
    }

    /// <summary>Black-holes tables and queues alike (<see cref="FaultProxy.BlackHole"/>).</summary>
    public void BlackHole(TimeSpan duration)
    {
        Tables.BlackHole(duration);
        Queues.BlackHole(duration);
    }

    public int Count(CallKind kind) => Tables.Count(kind) + Queues.Count(kind);

    public async ValueTask DisposeAsync()
    {
        await Tables.DisposeAsync();
        await Queues.DisposeAsync();
    }
}
