using System.Net;
using FestivalReservations.Testing;
using FestivalReservations.Testing.FaultInjection;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>How a proxy applies several rules, and the pair of proxies' connection string; over scripted servers, no Azurite.</summary>
public sealed class FaultProxiesTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task Rules_TheFirstFaultDecidedWins_EveryMatchingRuleCountsTheCall_AndTheLogSaysWhat()
    {
        await using var server = new ScriptedServer((Ok, false), (Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        var first = FaultRule.Once(CallKind.CodeRead, Fault.Status503);
        var second = FaultRule.FirstCalls(CallKind.CodeRead, 2, Fault.Status500);
        proxy.Add(first).Add(second);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 3; call++)
        {
            using var response = await http.GetAsync("/devstoreaccount1/Codes(PartitionKey='AB',RowKey='AB000001')");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
        Assert.Equal((3, 2), (second.Matched, second.Fired));
        Assert.Single(server.Received); // the faulted calls were not forwarded
        Assert.Equal(3, proxy.Count(CallKind.CodeRead));
        Assert.Collection(proxy.Injected,
            f => Assert.Equal((CallKind.CodeRead, Fault.Status503, "GET"), (f.Kind, f.Fault, f.Method)),
            f => Assert.Equal((CallKind.CodeRead, Fault.Status500, "/devstoreaccount1/Codes(PartitionKey='AB',RowKey='AB000001')"), (f.Kind, f.Fault, f.Path)));
        Assert.True(proxy.Remove(first));
        proxy.ClearRules();
    }

    [Fact]
    public async Task FaultProxies_ConnectionString_SendsTablesAndQueuesThroughTheProxies_BlobsStraight()
    {
        await using var tables = new ScriptedServer();
        await using var queues = new ScriptedServer();
        var blobPort = FreePorts.Next();

        await using var proxies = await FaultProxies.StartAsync(tables.Port, queues.Port, blobPort);

        Assert.Equal((tables.Port, queues.Port), (proxies.Tables.TargetPort, proxies.Queues.TargetPort));
        Assert.Equal(AzuriteProcess.ConnectionStringFor(blobPort, proxies.Queues.Port, proxies.Tables.Port), proxies.ConnectionString);
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{proxies.Tables.Port}/devstoreaccount1;", proxies.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultProxies_RulesAndBlackHoles_ApplyToBoth()
    {
        await using var tables = new ScriptedServer();
        await using var queues = new ScriptedServer();
        await using var proxies = await FaultProxies.StartAsync(tables.Port, queues.Port, FreePorts.Next());
        using var http = new HttpClient();

        proxies.Add(FaultRule.Always(CallKind.CodeRead, Fault.Status503)).Add(FaultRule.Always(CallKind.QueueOther, Fault.Status500));
        using var table = await http.GetAsync($"http://127.0.0.1:{proxies.Tables.Port}/devstoreaccount1/Codes(PartitionKey='AB',RowKey='AB000001')");
        using var queue = await http.GetAsync($"http://127.0.0.1:{proxies.Queues.Port}/devstoreaccount1/sms/messages");
        proxies.BlackHole(TimeSpan.FromSeconds(5));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError), (table.StatusCode, queue.StatusCode));
        Assert.Equal("application/xml", queue.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("application/json", table.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal([CallKind.CodeRead, CallKind.QueueOther], proxies.Injected.Select(f => f.Kind).Order());
        Assert.Equal(1, proxies.Count(CallKind.CodeRead));
        Assert.True(proxies.Tables.IsBlackHoled && proxies.Queues.IsBlackHoled);
    }
}
