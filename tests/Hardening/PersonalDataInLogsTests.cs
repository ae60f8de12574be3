using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Phones;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Tests.Hardening;

/// <summary>No full phone number and no name appears in any log line of an end-to-end run, the SMS lines included.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PersonalDataInLogsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Logs_OfAWholeJourney_HoldNoPhoneNumberAndNoName()
    {
        var logs = new CapturedLogs();
        await using var app = await RunningApp.StartAsync(azurite, services: s => s.AddSingleton<ILoggerProvider>(logs));
        const string name = "Zyxwvut 홍길동";
        const string phone = "010-7531-9246";

        using var created = await app.ReserveAsync("picnic-zone.20240908.1500", new { name, phone, partySize = 2, language = "en" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone });
        await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone = "010-7531-9999" });
        await app.ReserveAsync("picnic-zone.20240908.1500", new { name, phone, partySize = 1 });
        await app.ReserveAsync("picnic-zone.20240908.1500", new { name, phone = "02-7531-9246", partySize = 1 });
        using var cancelled = await app.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        // With no Twilio configured the SMS are logged, text and all: the lines most likely to leak
        // must be among those searched, so wait for both (confirmed, then cancelled).
        var masked = KoreanMobile.Mask("+821075319246");
        bool Logged(string kind) => logs.Lines.Any(line => line.Contains($"SMS {kind} to {masked}", StringComparison.Ordinal) && line.Contains(code, StringComparison.Ordinal));
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!(Logged(SmsKind.Confirmed) && Logged(SmsKind.Cancelled)) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        Assert.True(Logged(SmsKind.Confirmed), $"no line logged the confirmed SMS to {masked}");
        Assert.True(Logged(SmsKind.Cancelled), $"no line logged the cancelled SMS to {masked}");
        string[] forbidden = [name, "홍길동", "Zyxwvut", "01075319246", "010-7531-9246", "+821075319246", "7531-9246", "75319246"];
        var leaks = logs.Lines.Where(line => forbidden.Any(f => line.Contains(f, StringComparison.Ordinal))).ToList();
        Assert.Empty(leaks);
    }
}
