using System.Net;
using System.Net.Http.Json;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>
/// Which address the limits count, over real HTTP through devhost: with no trusted proxy a client's
/// own X-Forwarded-For changes nothing (the connection's address is counted); with one trusted hop the
/// last entry is the client, its port does not matter.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClientAddressEndToEndTests(AzuriteFixture azurite)
{
    // 8 look-ups a minute is 2 a 15 s window: six quick requests cross at most one window boundary, so at most 4 get through.
    private const int Requests = 6;

    private async Task<List<HttpStatusCode>> LookupsAsync(int trustedHops, Func<int, string> forwardedFor)
    {
        await using var app = await RunningApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["RateLimits:LookupsPerMinute"] = "8",
            ["RateLimits:TrustedProxyHops"] = trustedHops.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup") { Content = JsonContent.Create(new { phone = "010-4321-8765" }) };
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor(i));
            using var response = await app.Client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task ZeroTrustedHops_ClientSentForwardedForIgnored_TheConnectionIsLimited()
    {
        var statuses = await LookupsAsync(0, i => $"203.0.113.{i + 1}");

        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= Requests - 4, string.Join(", ", statuses));
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task OneTrustedHop_EachLastEntryIsAClient_ButRotatingItsPortIsNot()
    {
        var distinct = await LookupsAsync(1, i => $"198.51.100.250, 203.0.113.{i + 1}:443");
        var rotatingPorts = await LookupsAsync(1, i => $"198.51.100.{i + 1}, 203.0.113.77:{50000 + i}");

        Assert.All(distinct, s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.True(rotatingPorts.Count(s => s == HttpStatusCode.TooManyRequests) >= Requests - 4, string.Join(", ", rotatingPorts));
    }
}
