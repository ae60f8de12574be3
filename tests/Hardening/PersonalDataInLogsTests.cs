using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Tests.Hardening;

/// <summary>No full phone number and no name appears in any log line of an end-to-end run.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PersonalDataInLogsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Logs_OfAWholeJourney_HoldNoPhoneNumberAndNoName()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var logs = new CapturedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        const string name = "Zyxwvut 홍길동";
        const string phone = "010-7531-9246";

        var created = await app.ReserveAsync("picnic-zone.20240908.1500", new { name, phone, partySize = 2, language = "en" });
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone });
        await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone = "010-7531-9999" });
        await app.ReserveAsync("picnic-zone.20240908.1500", new { name, phone, partySize = 1 });
        await app.ReserveAsync("picnic-zone.20240908.1500", new { name, phone = "02-7531-9246", partySize = 1 });
        await app.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone });
        await Task.Delay(TimeSpan.FromSeconds(3)); // let queued work (SMS) run and log

        Assert.NotEmpty(logs.Lines);
        string[] forbidden = [name, "홍길동", "Zyxwvut", "01075319246", "010-7531-9246", "+821075319246", "7531-9246", "75319246"];
        var leaks = logs.Lines.Where(line => forbidden.Any(f => line.Contains(f, StringComparison.Ordinal))).ToList();
        Assert.Empty(leaks);
    }
}
