using FestivalReservations.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Browser;

/// <summary>The visitor page stays light for crowded mobile networks: everything it loads is counted.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PageWeightTests(AzuriteFixture azurite, BrowserFixture browser, ITestOutputHelper output)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    public const int Budget = 150 * 1024;

    [Fact]
    public async Task The_visitor_page_and_everything_it_loads_weigh_under_150_KB()
    {
        var loads = new List<(string Url, string Type, int Bytes)>();
        var pending = new List<Task>();
        Page.Response += (_, response) => pending.Add(Count(response));

        async Task Count(IResponse response)
        {
            var bytes = response.Status is >= 300 and < 400 ? 0 : (await response.BodyAsync()).Length;
            lock (loads)
            {
                loads.Add((response.Url, response.Request.ResourceType, bytes));
            }
        }

        await OpenAsync("/");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Task.WhenAll(pending.ToArray());

        foreach (var (url, type, bytes) in loads.OrderBy(l => l.Url, StringComparer.Ordinal))
        {
            output.WriteLine($"{bytes,8:N0}  {type,-10} {url}");
        }

        var total = loads.Sum(l => l.Bytes);
        var own = loads.Where(l => l.Type != "fetch").Sum(l => l.Bytes);
        output.WriteLine($"{total:N0} bytes in all ({own:N0} page and assets, {total - own:N0} API data)");

        Assert.Contains(loads, l => l.Type == "document");
        Assert.Contains(loads, l => l.Url.Contains("/assets/app.js", StringComparison.Ordinal));
        Assert.Contains(loads, l => l.Url.Contains("/assets/style.css", StringComparison.Ordinal));
        Assert.All(loads, l => Assert.StartsWith(BaseUrl, l.Url, StringComparison.Ordinal)); // nothing from elsewhere
        Assert.True(total < Budget, $"the visitor page loads {total:N0} bytes; the budget is {Budget:N0}");
        AssertNoScriptErrors();
    }
}
