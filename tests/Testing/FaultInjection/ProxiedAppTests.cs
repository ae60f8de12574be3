using Azure.Data.Tables;
using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>The proxy between the running app and Azurite reaches the app's own calls: a lost reply of its session transaction leaves a booking stored.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProxiedAppTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Session = "sunset-jazz-lounge.20240908.1930";

    [Fact]
    public async Task DropReply_OfTheSessionTransaction_CommitsTheBookingUnseen()
    {
        await using var proxied = await ProxiedApp.StartAsync(azurite);
        proxied.Proxies.Add(FaultRule.Once(CallKind.SessionTransaction, Fault.DropReply));
        var phone = RunningApp.NewPhone();

        using var answer = await proxied.App.ReserveAsync(Session, new { name = "Lost Reply", phone, partySize = 1, language = "en" }, Guid.NewGuid().ToString());

        // What the visitor is told is the app's business (issue 14); that the write committed is the proxy's.
        output.WriteLine($"visitor told {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        var injected = Assert.Single(proxied.Proxies.Injected);
        Assert.Equal((CallKind.SessionTransaction, Fault.DropReply, "/devstoreaccount1/$batch"), (injected.Kind, injected.Fault, injected.Path));
        var sessions = new TableClient(azurite.ConnectionString, CallClassifier.SessionsTable);
        var stored = await sessions.QueryAsync<TableEntity>(e => e.PartitionKey == Session && e.GetString("Name") == "Lost Reply").ToListAsync();
        Assert.Equal("confirmed", Assert.Single(stored).GetString("Status"));
    }
}
