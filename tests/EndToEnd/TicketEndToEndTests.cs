using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Tickets;
using FestivalReservations.DevHost;
using FestivalReservations.Testing;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>Tickets over real HTTP (API.md, "Tickets at the bridge"): the link, the ticket routes, check-in by ticket, offline scans, the opt-out.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TicketEndToEndTests(AzuriteFixture azurite)
{
    private const string Picnic = "picnic-zone.20240908.1300";
    private const string Parade = "mask-parade.20240908.1500";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<JsonElement> ReserveAsync(RunningApp app, string session = Picnic, string language = "ko")
    {
        using var response = await app.ReserveAsync(session, new { name = "티켓 방문자", phone = RunningApp.NewPhone(), partySize = 2, language });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await JsonOf(response);
    }

    private static string TicketOf(JsonElement reservation)
    {
        var url = reservation.GetProperty("ticketUrl").GetString()!;
        Assert.StartsWith("/t/", url, StringComparison.Ordinal);
        return url["/t/".Length..];
    }

    private static string Forge(string ticket) => ticket[..^1] + (ticket[^1] == '0' ? '1' : '0');

    private static Task<HttpResponseMessage> CheckInAsync(RunningApp app, string codeOrTicket, object? body = null) =>
        body is null
            ? app.Staff.PostAsync($"api/staff/reservations/{codeOrTicket}/check-in", null)
            : app.Staff.PostAsJsonAsync($"api/staff/reservations/{codeOrTicket}/check-in", body);

    [Fact]
    public async Task Reservation_CarriesItsTicket_TheTicketOpensIt_AForgeryDoesNot()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var reservation = await ReserveAsync(app);
        var ticket = TicketOf(reservation);
        Assert.Equal(Ticket.Length, ticket.Length);
        Assert.StartsWith(reservation.GetProperty("code").GetString()!.Replace("-", ""), ticket, StringComparison.Ordinal);

        using var get = await app.Client.GetAsync($"api/tickets/{ticket}");
        var body = await JsonOf(get);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(reservation.GetProperty("code").GetString(), body.GetProperty("code").GetString());
        Assert.Equal("confirmed", body.GetProperty("status").GetString());

        using var page = await app.Client.GetAsync($"t/{ticket}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        using var worker = await app.Client.GetAsync("staff-sw.js");
        Assert.Equal(HttpStatusCode.OK, worker.StatusCode);
        Assert.StartsWith("text/javascript", worker.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-cache", worker.Headers.CacheControl?.ToString());
        using var staffPage = await app.Client.GetAsync("staff");
        Assert.Contains("camera=(self)", staffPage.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("/assets/jsqr.js?v=", await staffPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var qr = await app.Client.GetAsync($"api/tickets/{ticket}/qr");
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.StartsWith("image/svg+xml", qr.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var forged = Forge(ticket);
        using var forgedGet = await app.Client.GetAsync($"api/tickets/{forged}");
        Assert.Equal(HttpStatusCode.NotFound, forgedGet.StatusCode);
        Assert.Equal("not-found", (await JsonOf(forgedGet)).GetProperty("code").GetString());
        using var forgedPage = await app.Client.GetAsync($"t/{forged}");
        Assert.Equal(HttpStatusCode.NotFound, forgedPage.StatusCode);
        using var forgedQr = await app.Client.GetAsync($"api/tickets/{forged}/qr");
        Assert.Equal(HttpStatusCode.NotFound, forgedQr.StatusCode);
        using var forgedCancel = await app.Client.PostAsync($"api/tickets/{forged}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, forgedCancel.StatusCode);
        using var forgedCheckIn = await CheckInAsync(app, forged);
        Assert.Equal(HttpStatusCode.NotFound, forgedCheckIn.StatusCode);
        Assert.Equal("not-found", (await JsonOf(forgedCheckIn)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task CheckIn_ByTicketScannedOffline_KeepsTheScansTimeAndDevice_ASecondDeviceIsToldTheFirst()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var ticket = TicketOf(await ReserveAsync(app));
        var scannedAt = RunningApp.PinnedNow.AddMinutes(-10).ToUniversalTime();

        using var first = await CheckInAsync(app, ticket, new { scannedAt, device = "tablet-1" });
        var firstBody = await JsonOf(first);
        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody.ToString());
        Assert.Equal("checked-in", firstBody.GetProperty("status").GetString());
        Assert.Equal(scannedAt, firstBody.GetProperty("checkedInAt").GetDateTimeOffset());

        using var second = await CheckInAsync(app, ticket, new { scannedAt = scannedAt.AddMinutes(3), device = "tablet-2" });
        var secondBody = await JsonOf(second);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("already-checked-in", secondBody.GetProperty("code").GetString());
        Assert.Equal(scannedAt, secondBody.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal("tablet-1", secondBody.GetProperty("device").GetString());
    }

    [Fact]
    public async Task CheckIn_ForAnotherSessionThanTheGates_IsRefusedAndChangesNothing_BadScansAre400()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var reservation = await ReserveAsync(app);
        var ticket = TicketOf(reservation);

        using var wrong = await CheckInAsync(app, ticket, new { sessionIds = new[] { Parade } });
        var wrongBody = await JsonOf(wrong);
        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Equal("wrong-session", wrongBody.GetProperty("code").GetString());
        Assert.Equal(Picnic, wrongBody.GetProperty("sessionId").GetString());

        using var future = await CheckInAsync(app, ticket, new { scannedAt = RunningApp.PinnedNow.AddHours(1) });
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.True((await JsonOf(future)).GetProperty("errors").TryGetProperty("scannedAt", out _));
        using var unknownField = await CheckInAsync(app, ticket, new { scannedAtt = RunningApp.PinnedNow });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);

        using var still = await app.Client.GetAsync($"api/tickets/{ticket}");
        Assert.Equal("confirmed", (await JsonOf(still)).GetProperty("status").GetString());

        using var right = await CheckInAsync(app, reservation.GetProperty("code").GetString()!, new { sessionIds = new[] { Parade, Picnic } });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Ticket_CancelsWithoutThePhone_Once()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var ticket = TicketOf(await ReserveAsync(app));

        using var cancel = await app.Client.PostAsync($"api/tickets/{ticket}/cancel", null);
        var body = await JsonOf(cancel);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("ticketUrl", out _));

        using var again = await app.Client.PostAsync($"api/tickets/{ticket}/cancel", null);
        Assert.Equal("already-cancelled", (await JsonOf(again)).GetProperty("code").GetString());
        using var reminders = await app.Client.PostAsJsonAsync($"api/tickets/{ticket}/reminders", new { enabled = false });
        Assert.Equal(HttpStatusCode.Conflict, reminders.StatusCode);
    }

    [Fact]
    public async Task DayKeys_AreTodaysOnly_ForStaff()
    {
        await using var app = await RunningApp.StartAsync(azurite, new Dictionary<string, string?> { ["Festival:Now"] = "2024-09-08T13:30:00+09:00" });

        using var anonymous = await app.Client.GetAsync("api/staff/tickets/day-keys");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var response = await app.Staff.GetAsync("api/staff/tickets/day-keys");
        var body = await JsonOf(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2024-09-08", body.GetProperty("date").GetString());
        var signer = app.Services.GetRequiredService<TicketSigner>();
        var key = Assert.Single(body.GetProperty("keys").EnumerateArray());
        Assert.Equal("1", key.GetProperty("keyId").GetString());
        Assert.Equal(signer.DayKeys(new DateOnly(2024, 9, 8))[0].Key, key.GetProperty("key").GetString());
        Assert.DoesNotContain(AppSettings.TicketSigningKeys.Split(':')[1], body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sms_CarriesTheTicketLink_AndAnOptOutStopsTheReminder()
    {
        var sender = new RecordingSmsSender();
        await using var app = await RunningApp.StartAsync(azurite,
            new Dictionary<string, string?> { ["Festival:Now"] = "2024-09-08T10:00:00+09:00" },
            s => s.AddSingleton<ISmsSender>(sender));
        var stays = await ReserveAsync(app);
        var optsOut = await ReserveAsync(app, language: "en");
        var link = AppSettings.PublicBaseUrl + optsOut.GetProperty("ticketUrl").GetString();

        await WaitForAsync(() => sender.Sent.Any(m => m.Text.Contains(optsOut.GetProperty("code").GetString()!, StringComparison.Ordinal)));
        var confirmation = sender.Sent.First(m => m.Text.Contains(optsOut.GetProperty("code").GetString()!, StringComparison.Ordinal));
        Assert.EndsWith(" " + link, confirmation.Text, StringComparison.Ordinal);

        using var off = await app.Client.PostAsJsonAsync($"api/tickets/{TicketOf(optsOut)}/reminders", new { enabled = false });
        var offBody = await JsonOf(off);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.True(offBody.GetProperty("remindersOff").GetBoolean());
        using var missing = await app.Client.PostAsJsonAsync($"api/tickets/{TicketOf(optsOut)}/reminders", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var functions = app.Services.GetRequiredService<DevHostFunctions>();
        await functions.InvokeTimerAsync("SendReminders");
        var staying = ReminderScheduler.MessageIdFor(stays.GetProperty("code").GetString()!.Replace("-", ""));
        await WaitForAsync(() => sender.SentCount(staying) == 1);
        await app.WaitPastRedeliveryAsync();
        Assert.Equal(0, sender.SentCount(ReminderScheduler.MessageIdFor(optsOut.GetProperty("code").GetString()!.Replace("-", ""))));
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
            await Task.Delay(100);
        }
    }
}
