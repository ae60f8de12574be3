using Azure;
using Azure.Data.Tables;

namespace FestivalReservations.Tests.Infrastructure;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public void ConnectionString_NamesTheChosenEndpoints()
    {
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{azurite.TablePort}/devstoreaccount1", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.Contains($"QueueEndpoint=http://127.0.0.1:{azurite.QueuePort}/devstoreaccount1", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.Contains($"BlobEndpoint=http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(3, new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort }.Distinct().Count());
    }

    [Fact]
    public async Task Table_InsertAndReadBack()
    {
        var table = new TableClient(azurite.ConnectionString, AzuriteFixture.UniqueTableName());
        await table.CreateIfNotExistsAsync();

        await table.AddEntityAsync(new TableEntity("festival", "mask-parade") { ["Capacity"] = 300, ["Title"] = "가면 퍼레이드" });

        var read = await table.GetEntityAsync<TableEntity>("festival", "mask-parade");
        Assert.Equal(300, read.Value.GetInt32("Capacity"));
        Assert.Equal("가면 퍼레이드", read.Value.GetString("Title"));
    }

    [Fact]
    public async Task Queue_SendAndReceive()
    {
        var queue = azurite.CreateQueueServiceClient().GetQueueClient(AzuriteFixture.UniqueTableName("q"));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("hello");

        var received = await queue.ReceiveMessageAsync();
        Assert.Equal("hello", received.Value.Body.ToString());
    }

    [Fact]
    public async Task StopThenStart_KeepsPortsAndData()
    {
        var tableName = AzuriteFixture.UniqueTableName();
        var table = new TableClient(azurite.ConnectionString, tableName);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "survivor") { ["Value"] = "still here" });
        var ports = (azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        var connectionString = azurite.ConnectionString;

        await azurite.StopAsync();
        Assert.False(azurite.IsRunning);
        var noRetry = new TableClientOptions();
        noRetry.Retry.MaxRetries = 0;
        var downClient = new TableClient(azurite.TableEndpoint, tableName, new TableSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), noRetry);
        var whileDown = await Assert.ThrowsAsync<RequestFailedException>(() => downClient.GetEntityAsync<TableEntity>("p", "survivor"));
        Assert.Equal(0, whileDown.Status); // no HTTP answer at all

        await azurite.StartAsync();
        Assert.True(azurite.IsRunning);
        Assert.Equal(ports, (azurite.BlobPort, azurite.QueuePort, azurite.TablePort));
        Assert.Equal(connectionString, azurite.ConnectionString);

        var read = await new TableClient(azurite.ConnectionString, tableName).GetEntityAsync<TableEntity>("p", "survivor");
        Assert.Equal("still here", read.Value.GetString("Value"));
    }
}
