using Azure.Data.Tables;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// Four app instances over one Azurite share one per-address budget: a client spread over all of
/// them gets at most the window's budget (well inside 1.5×), from chunks claimed under ETags.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AddressBudgetTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task FourInstances_OneClientRacingOverAll_HeldWithinTheBudget()
    {
        var apps = new CoreHarness[4];
        for (var i = 0; i < apps.Length; i++)
        {
            apps[i] = await CoreHarness.StartAsync(azurite.ConnectionString, TestCatalog.Create($"fest-{TestCatalog.UniqueProgramId("limits")}"));
        }

        try
        {
            // A client of its own (a /64 nobody else uses), so the window's row is this test's.
            var client = ClientAddress.KeyOf(System.Net.IPAddress.Parse($"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}::1"));
            var options = apps[0].Get<IOptions<RateLimitOptions>>().Value;
            var perMinute = options.ReservationsPerMinute;
            var budget = AddressBudgetRule.WindowBudget(perMinute);
            var chunk = AddressBudgetRule.Chunk(budget, 0);
            // Each instance's limiter over its own ledger (its own storage clients), on one fixed moment so the race stays in one window.
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var limiters = apps.Select(a => new ClientRateLimiter(Options.Create(options),
                new SharedAddressBudget(a.Get<IAddressBudgetLedger>(), clock, Options.Create(options)))).ToArray();

            var answers = await Task.WhenAll(Enumerable.Range(0, 4 * budget).Select(i => Task.Run(() =>
                limiters[i % 4].CheckAsync(LimitedAction.Reserve, client, CancellationToken.None))));

            var admitted = answers.Count(a => a is null);
            output.WriteLine($"4 instances, {answers.Length} attempts from one client: {admitted} admitted on a window budget of {budget} ({perMinute}/min)");
            Assert.True(admitted <= budget * 1.5, $"{admitted} admitted on a budget of {budget}");
            Assert.InRange(admitted, budget - (3 * chunk), budget);

            // The shared row says the same: never more granted than the budget.
            var now = clock.GetUtcNow();
            var window = AddressBudgetRule.WindowIndex(now);
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AddressBudgetLedger.TableName(AddressBudgetRule.WindowStart(window)));
            var ledger = (AddressBudgetLedger)apps[0].Get<IAddressBudgetLedger>();
            var row = await table.GetEntityAsync<TableEntity>(ledger.PartitionKeyOf(client), AddressBudgetLedger.RowKeyOf(LimitedAction.Reserve, window));
            Assert.Equal(budget, row.Value.GetInt32("Granted"));
            Assert.DoesNotContain("2001", row.Value.PartitionKey, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }
}
