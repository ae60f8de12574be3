using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>
/// The fault proxy between real SDK clients and Azurite: it relays faithfully without rules, and
/// each fault leaves the store as it says (a dropped reply after the write committed, nothing for a
/// reset or an injected 503). Each test writes to the Codes table (a kind the rules can target)
/// under a partition of its own.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultProxyTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Codes = CallClassifier.CodesTable;

    [Fact]
    public async Task PassThrough_TableClient_CreateInsertTransactionQuery()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, AzuriteFixture.UniqueTableName());
        await table.CreateIfNotExistsAsync();

        await table.AddEntityAsync(new TableEntity("p", "one") { ["Title"] = "가면 퍼레이드" });
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "two")),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "three") { ["N"] = 3 }),
        ]);
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == "p").ToListAsync();

        Assert.Equal(["one", "three", "two"], rows.Select(r => r.RowKey).Order());
        Assert.Equal("가면 퍼레이드", rows.Single(r => r.RowKey == "one").GetString("Title"));
        Assert.Equal(4, proxies.Count(CallKind.Other)); // create, insert, transaction, query, on a table of no app kind
        Assert.Empty(proxies.Injected);
    }

    [Fact]
    public async Task PassThrough_QueueClient_SendReceiveDelete()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var queue = ProxyClients.Queue(proxies, AzuriteFixture.UniqueTableName("q"));
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("안녕 hello");
        var received = (await queue.ReceiveMessageAsync()).Value;
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        Assert.Equal("안녕 hello", received.Body.ToString());
        Assert.Equal(1, proxies.Count(CallKind.QueueSend));
        Assert.Equal(3, proxies.Count(CallKind.QueueOther)); // create, receive, delete
        Assert.Null((await queue.ReceiveMessageAsync()).Value);
    }

    [Fact]
    public async Task DropReply_Insert_ClientSeesAFailure_WhileTheRowIsStored()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes, maxRetries: 2);
        await table.CreateIfNotExistsAsync();
        var row = NewRow();
        proxies.Add(FaultRule.Once(CallKind.CodeClaim, Fault.DropReply));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(row));
        output.WriteLine($"client saw {failure.Status} {failure.ErrorCode}; proxy: {string.Join("; ", proxies.Injected)}");

        // The SDK's retry finds the row the lost reply wrote, and the caller is told someone else has it.
        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.True(await ExistsAsync(row));
        Assert.Equal(2, proxies.Count(CallKind.CodeClaim));
        Assert.Equal(CallKind.CodeClaim, Assert.Single(proxies.Injected).Kind);
    }

    [Fact]
    public async Task ResetBeforeForward_Insert_FailsAndStoresNothing()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes, maxRetries: 1);
        await table.CreateIfNotExistsAsync();
        var row = NewRow();
        proxies.Add(FaultRule.Always(CallKind.CodeClaim, Fault.ResetBeforeForward));

        // Retries exhausted: one failure per try, none of them an HTTP answer.
        var failure = await Assert.ThrowsAsync<AggregateException>(() => table.AddEntityAsync(row));

        Assert.Equal(2, failure.InnerExceptions.Count);
        Assert.All(failure.InnerExceptions, e => Assert.Equal(0, Assert.IsType<RequestFailedException>(e).Status));
        Assert.False(await ExistsAsync(row));
        Assert.All(proxies.Injected, f => Assert.Equal(Fault.ResetBeforeForward, f.Fault));
        Assert.Equal(proxies.Count(CallKind.CodeClaim), proxies.Injected.Count);
    }

    [Fact]
    public async Task Status503_Insert_TheSdkSeesServerBusy_AndNothingIsStored()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes, maxRetries: 1);
        await table.CreateIfNotExistsAsync();
        var row = NewRow();
        proxies.Add(FaultRule.Always(CallKind.CodeClaim, Fault.Status503));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(row));

        Assert.Equal(503, failure.Status);
        Assert.Equal("ServerBusy", failure.ErrorCode);
        Assert.True(Guid.TryParse(failure.GetRawResponse()?.Headers.RequestId, out _));
        Assert.False(await ExistsAsync(row));
        Assert.Equal(2, proxies.Injected.Count); // the SDK retried the 503 once
    }

    [Fact]
    public async Task Status500_QueueSend_TheSdkParsesTheXmlError_AndNothingIsQueued()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var queue = ProxyClients.Queue(proxies, AzuriteFixture.UniqueTableName("q"));
        await queue.CreateIfNotExistsAsync();
        proxies.Add(FaultRule.Once(CallKind.QueueSend, Fault.Status500));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("lost"));

        Assert.Equal(500, failure.Status);
        Assert.Equal("InternalError", failure.ErrorCode);
        Assert.Null((await queue.ReceiveMessageAsync()).Value);
        await queue.SendMessageAsync("kept"); // the rule fired once; the connection stayed usable
        Assert.Equal("kept", (await queue.ReceiveMessageAsync()).Value.Body.ToString());
    }

    [Fact]
    public async Task Delay_PastTheNetworkTimeout_TheClientGivesUp_WhileTheRowIsStored()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes);
        await table.CreateIfNotExistsAsync();
        var row = NewRow();
        proxies.Add(FaultRule.Once(CallKind.CodeClaim, Fault.Delay(ProxyClients.NetworkTimeout * 3)));
        var clock = Stopwatch.StartNew();

        var failure = await Record.ExceptionAsync(() => table.AddEntityAsync(row));

        output.WriteLine($"after {clock.Elapsed.TotalSeconds:0.0} s: {failure?.GetType().Name}: {failure?.Message}");
        Assert.NotNull(failure);
        Assert.True(clock.Elapsed < ProxyClients.NetworkTimeout * 2.5, $"gave up after {clock.Elapsed}");
        Assert.True(await ExistsAsync(row));
    }

    [Fact]
    public async Task BlackHole_CallsTimeOut_NothingHeldIsForwardedLater_ThenCallsWork()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes);
        await table.CreateIfNotExistsAsync();
        var row = NewRow();
        var hole = ProxyClients.NetworkTimeout * 3;
        proxies.Add(FaultRule.Once(CallKind.CodeClaim, Fault.BlackHole(hole)));
        var clock = Stopwatch.StartNew();

        var insert = await Record.ExceptionAsync(() => table.AddEntityAsync(row));
        var read = await Record.ExceptionAsync(() => table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey));

        Assert.NotNull(insert);
        Assert.NotNull(read); // every kind, not just the one that started it
        Assert.True(proxies.Tables.IsBlackHoled || clock.Elapsed >= hole);
        await Task.Delay(hole - clock.Elapsed + TimeSpan.FromMilliseconds(500));
        Assert.False(proxies.Tables.IsBlackHoled);
        Assert.False(await ExistsAsync(row));
        await table.AddEntityAsync(row);
        Assert.True(await ExistsAsync(row));
    }

    [Fact]
    public async Task OnCall_FaultsOnlyTheNthMatchingCall()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes);
        await table.CreateIfNotExistsAsync();
        proxies.Add(FaultRule.OnCall(CallKind.CodeClaim, 2, Fault.Status503));
        var rows = Enumerable.Range(0, 3).Select(_ => NewRow()).ToList();

        var outcomes = new List<int>();
        foreach (var row in rows)
        {
            outcomes.Add((await Record.ExceptionAsync(() => table.AddEntityAsync(row)) as RequestFailedException)?.Status ?? 204);
        }

        Assert.Equal([204, 503, 204], outcomes);
        var stored = await Task.WhenAll(rows.Select(ExistsAsync));
        Assert.Equal([true, false, true], stored);
    }

    [Fact]
    public async Task Rate_SameSeed_FaultsTheSameCallsTwice()
    {
        var first = await FaultedCallsAsync(seed: 1405);
        var second = await FaultedCallsAsync(seed: 1405);

        output.WriteLine($"faulted calls: {string.Join(", ", first)}");
        Assert.Equal(first, second);
        Assert.InRange(first.Count, 3, 27); // 30 calls at 30 %: some faulted, not all
    }

    private async Task<List<int>> FaultedCallsAsync(int seed)
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        var table = ProxyClients.Table(proxies, Codes);
        await table.CreateIfNotExistsAsync();
        var rule = FaultRule.Rate(0.3, [CallKind.CodeRead], [Fault.Status503, Fault.Status500], seed);
        proxies.Add(rule);
        var faulted = new List<int>();
        for (var call = 0; call < 30; call++)
        {
            if (await Record.ExceptionAsync(() => table.GetEntityIfExistsAsync<TableEntity>("zz", "nothing")) is RequestFailedException)
            {
                faulted.Add(call);
            }
        }

        Assert.Equal(faulted.Count, rule.Fired);
        Assert.Equal(faulted.Count, proxies.Injected.Count);
        return faulted;
    }

    private static TableEntity NewRow() => new("zz" + Guid.NewGuid().ToString("N")[..8], Guid.NewGuid().ToString("N")) { ["SessionId"] = "proxy-test" };

    /// <summary>Reads straight from Azurite, past the proxy.</summary>
    private async Task<bool> ExistsAsync(TableEntity row) =>
        (await new TableClient(azurite.ConnectionString, Codes).GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey)).HasValue;
}
