using System.Net;
using FestivalReservations.DevHost;

namespace FestivalReservations.Tests.DevHost;

/// <summary>devhost serving the real functions app, in-process over loopback HTTP.</summary>
public class DevHostAppTests
{
    [Fact]
    public async Task Health_AnswersOkThroughDevhost()
    {
        await using var app = DevHostApp.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = DevHostApp.BaseAddress(app) };

            var response = await client.GetAsync("api/health");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
