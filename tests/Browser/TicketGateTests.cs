using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Tickets;
using FestivalReservations.DevHost;
using FestivalReservations.Testing;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QRCoder;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// Tickets at the bridge in the browser (API.md, "Tickets at the bridge"). The app's clock is on
/// Sunday 2024-10-06 (a festival day, afternoon sessions still bookable), the browser's is the
/// machine's: the staff page stamps offline scans with the server's time, not its own.
/// </summary>
public abstract class TicketBrowserTest(AzuriteFixture azurite, BrowserFixture browser) : BrowserTest(azurite, browser)
{
    public const string Sunday = "2024-10-06";

    protected override string AppNow => "2024-10-06T13:05:00+09:00";

    protected override string? DeviceClock => null;

    protected override ViewportSize Viewport => new() { Width = 1024, Height = 900 };

    protected async Task<JsonElement> ReserveAsync(string sessionId, int partySize = 2)
    {
        using var response = await App.ReserveAsync(sessionId, new { name = "입장 테스트", phone = RunningApp.NewPhone(), partySize, language = "ko" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected static string TicketOf(JsonElement reservation) => reservation.GetProperty("ticketUrl").GetString()!["/t/".Length..];

    protected static string Forge(string ticket) => ticket[..^1] + (ticket[^1] == '0' ? '1' : '0');

    protected async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/staff");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        await page.FillAsync("#key", RunningApp.StaffKey);
        await page.ClickAsync("#key-submit");
        await page.WaitForSelectorAsync("body[data-gate-ready='true']");
    }

    protected async Task<JsonElement> AttendeesAsync(string sessionId)
    {
        using var response = await App.Staff.GetAsync($"api/staff/sessions/{sessionId}/reservations");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    protected static string Hhmm(string utc) =>
        DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(9)).ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>The ticket page a visitor opens from the SMS link: QR, no phone digits, opt-out (then no reminder), cancel; axe finds nothing.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TicketPageTests(AzuriteFixture azurite, BrowserFixture browser)
    : TicketBrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    private const string Picnic = "picnic-zone.20241006.1700";
    private readonly RecordingSmsSender _sms = new();

    protected override string AppNow => "2024-10-06T09:30:00+09:00";

    protected override ViewportSize Viewport => new() { Width = 360, Height = 760 };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ISmsSender>(_sms);

    private async Task<string> LinkFromSmsAsync(string code)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!_sms.Sent.Any(m => m.Text.Contains(code, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < until, $"no SMS for {code}");
            await Task.Delay(100);
        }

        var text = _sms.Sent.First(m => m.Text.Contains(code, StringComparison.Ordinal)).Text;
        var link = text[(text.LastIndexOf(' ') + 1)..];
        Assert.StartsWith(AppSettings.PublicBaseUrl + "/t/", link, StringComparison.Ordinal);
        return link[AppSettings.PublicBaseUrl.Length..];
    }

    [Fact]
    [NeedsRoutes("t/{ticket}", "api/tickets/{ticket}", "api/tickets/{ticket}/qr", "api/tickets/{ticket}/cancel", "api/tickets/{ticket}/reminders")]
    public async Task The_ticket_page_opens_from_the_SMS_link_turns_the_reminder_off_and_cancels()
    {
        var optsOut = await ReserveAsync(Picnic);
        var keeps = await ReserveAsync(Picnic);
        var path = await LinkFromSmsAsync(optsOut.GetProperty("code").GetString()!);

        await OpenAsync(path);
        Assert.Equal(optsOut.GetProperty("code").GetString(), (await Page.TextContentAsync("#code"))!.Trim());
        Assert.Equal("confirmed", await Page.GetAttributeAsync("#status", "data-status"));
        await Page.WaitForFunctionAsync("() => document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0");
        var text = await Page.InnerTextAsync("body");
        Assert.DoesNotContain(optsOut.GetProperty("phoneMasked").GetString()![^4..], text, StringComparison.Ordinal);
        Assert.DoesNotContain("****", text, StringComparison.Ordinal);
        Assert.Empty(await Axe.ViolationsAsync(Page));
        await ScreenshotAsync("ticket-page");

        await Page.UncheckAsync("#reminders");
        await Page.WaitForFunctionAsync("() => document.getElementById('reminder-result').textContent.length > 0");
        Assert.True((await (await App.Client.GetAsync($"api/tickets/{TicketOf(optsOut)}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("remindersOff").GetBoolean());

        var functions = App.Services.GetRequiredService<DevHostFunctions>();
        await functions.InvokeTimerAsync("SendReminders");
        var keepsId = ReminderScheduler.MessageIdFor(keeps.GetProperty("code").GetString()!.Replace("-", ""));
        var until = DateTime.UtcNow.AddSeconds(20);
        while (_sms.SentCount(keepsId) == 0)
        {
            Assert.True(DateTime.UtcNow < until, "the other visitor's reminder never went out");
            await Task.Delay(100);
        }

        await App.WaitPastRedeliveryAsync();
        Assert.Equal(0, _sms.SentCount(ReminderScheduler.MessageIdFor(optsOut.GetProperty("code").GetString()!.Replace("-", ""))));

        await Page.ClickAsync("#cancel");
        Assert.Empty(await Axe.ViolationsAsync(Page));
        await Page.ClickAsync("#cancel-yes");
        await Page.WaitForSelectorAsync("#status[data-status='cancelled']");
        Assert.True(await Page.IsHiddenAsync("#cancel-box"));
        Assert.Empty(await Axe.ViolationsAsync(Page));

        await OpenAsync("/t/" + Forge(TicketOf(keeps)));
        Assert.True(await Page.IsVisibleAsync("#not-found"));
        Assert.Empty(await Axe.ViolationsAsync(Page));
        AssertNoScriptErrors();
    }
}

/// <summary>
/// The staff page scans with the camera: Chromium's fake camera plays a video (y4m, made here from
/// QRCoder's modules) of a ticket's QR code, then of a forged one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CameraScanTests(AzuriteFixture azurite, BrowserFixture browser)
    : TicketBrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    private const string Jazz = "sunset-jazz-lounge.20241006.1930";

    /// <summary>A 640×480 YUV4MPEG2 (4:2:0) video, 10 frames a second: each text's QR code for 2.5 s in turn.</summary>
    internal static void WriteQrVideo(string path, params string[] texts) => WriteQrVideo(path, 640, 480, 25, 0, texts);

    /// <summary>
    /// A YUV4MPEG2 (4:2:0) video, 10 frames a second: each text's QR code for <paramref name="framesPerText"/>
    /// frames in turn, then <paramref name="blankFrames"/> frames of nothing (Chromium plays the file in a loop).
    /// </summary>
    internal static void WriteQrVideo(string path, int width, int height, int framesPerText, int blankFrames, params string[] texts)
    {
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n"));
        var chroma = Enumerable.Repeat((byte)128, width * height / 2).ToArray();
        foreach (var text in texts)
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
            var modules = data.ModuleMatrix;
            var size = modules.Count;
            var scale = (height - 40) / size;
            var left = (width - size * scale) / 2;
            var top = (height - size * scale) / 2;
            var luma = new byte[width * height];
            Array.Fill(luma, (byte)235);
            for (var y = 0; y < size * scale; y++)
            {
                for (var x = 0; x < size * scale; x++)
                {
                    if (modules[y / scale][x / scale])
                    {
                        luma[(top + y) * width + left + x] = 16;
                    }
                }
            }

            for (var frame = 0; frame < framesPerText; frame++)
            {
                file.Write("FRAME\n"u8);
                file.Write(luma);
                file.Write(chroma);
            }
        }

        var blank = new byte[width * height];
        Array.Fill(blank, (byte)235);
        for (var frame = 0; frame < blankFrames; frame++)
        {
            file.Write("FRAME\n"u8);
            file.Write(blank);
            file.Write(chroma);
        }
    }

    /// <summary>A Chromium of its own whose fake camera plays <paramref name="video"/> (the file is fixed per launch).</summary>
    internal static Task<IBrowser> LaunchWithCameraAsync(IPlaywright playwright, string video) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FR_CHROMIUM") is { Length: > 0 } custom ? custom : BrowserFixture.ChromiumPath,
            Headless = true,
            Args = [.. BrowserFixture.ChromiumArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-video-capture={video}"],
        });

    [Fact]
    [NeedsRoutes("api/staff/reservations/{code}/check-in", "api/staff/tickets/day-keys", "staff-sw.js")]
    public async Task A_ticket_shown_to_the_camera_checks_the_visitor_in_and_a_forged_one_is_refused()
    {
        var reservation = await ReserveAsync(Jazz, partySize: 3);
        var ticket = TicketOf(reservation);
        var video = Path.Combine(Path.GetTempPath(), $"fr-qr-{Guid.NewGuid():N}.y4m");
        WriteQrVideo(video, AppSettings.PublicBaseUrl + "/t/" + ticket, AppSettings.PublicBaseUrl + "/t/" + Forge(ticket));
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var camera = await LaunchWithCameraAsync(playwright, video);
            await using var context = await camera.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = BaseUrl, ViewportSize = Viewport, Locale = "ko-KR", TimezoneId = "Asia/Seoul", Permissions = ["camera"],
            });
            context.SetDefaultTimeout(20_000);
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await SignInAsync(page);

            await page.ClickAsync("#scan-start");
            await page.WaitForSelectorAsync("#scan-log li[data-kind='in']");
            Assert.Contains(reservation.GetProperty("code").GetString()!, await page.TextContentAsync("#scan-log li[data-kind='in']"));
            await page.WaitForSelectorAsync("#scan-log li[data-kind='forged']");
            await page.WaitForSelectorAsync("#verdict[data-verdict='forged']");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "staff-camera-forged.png") });

            var attendee = (await AttendeesAsync(Jazz)).EnumerateArray().Single(r => r.GetProperty("code").GetString() == reservation.GetProperty("code").GetString());
            Assert.Equal("checked-in", attendee.GetProperty("status").GetString());
            Assert.Empty(errors);
        }
        finally
        {
            File.Delete(video);
        }
    }
}

/// <summary>
/// Offline check-in: today's session kept, the network gone, five tickets scanned by the camera
/// (one of them checked in meanwhile by another tablet; each held long enough to be in many frames,
/// judged once), another day's ticket and a forged one refused as such, the network back: all five on
/// the server, the conflict shown with the other tablet's time, nobody checked in twice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OfflineCheckInTests(AzuriteFixture azurite, BrowserFixture browser)
    : TicketBrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    private const string Boat = "boat-parade.20241006.1830";

    // Four seconds a ticket, longer than the page's moment of grace for a repeated scan (3 s), then
    // ten seconds of nothing before the fake camera loops back to the first.
    private const int FramesPerTicket = 40;
    private const int BlankFrames = 100;

    [Fact]
    [NeedsRoutes("api/staff/reservations/{code}/check-in", "api/staff/tickets/day-keys", "api/staff/sessions/{sessionId}/reservations")]
    public async Task Five_tickets_scanned_by_the_camera_offline_sync_when_the_network_returns_and_a_conflict_shows_the_other_devices_time()
    {
        var reservations = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            reservations.Add(await ReserveAsync(Boat, partySize: 1 + (i % 3)));
        }

        var links = reservations.Select(r => AppSettings.PublicBaseUrl + r.GetProperty("ticketUrl").GetString()).ToArray();
        // A ticket signed, as the server signs them, for next Sunday: this tablet has no key for that day.
        var nextSunday = App.Services.GetRequiredService<TicketSigner>().Sign(ReservationCode.New(), new DateOnly(2024, 10, 13));
        var video = Path.Combine(Path.GetTempPath(), $"fr-qr-offline-{Guid.NewGuid():N}.y4m");
        CameraScanTests.WriteQrVideo(video, 320, 240, FramesPerTicket, BlankFrames, links);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var camera = await CameraScanTests.LaunchWithCameraAsync(playwright, video);
            await using var context = await camera.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = BaseUrl, ViewportSize = Viewport, Locale = "ko-KR", TimezoneId = "Asia/Seoul", Permissions = ["camera"],
            });
            context.SetDefaultTimeout(20_000);
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);

            await SignInAsync(page);
            // The service worker controls the page (it keeps the page and its assets for a reload offline).
            await page.WaitForFunctionAsync("() => !!navigator.serviceWorker.controller");
            await page.CheckAsync($"#gate-sessions input[data-session-id='{Boat}']");
            await page.ClickAsync("#gate-keep");
            await page.WaitForFunctionAsync("() => document.getElementById('gate-status').textContent.includes('1')");

            await context.SetOfflineAsync(true);
            await page.WaitForFunctionAsync("() => !navigator.onLine");

            // Meanwhile another tablet, online, checks the third party in first.
            var first = reservations[2];
            using (var other = await App.Staff.PostAsJsonAsync($"api/staff/reservations/{first.GetProperty("code").GetString()}/check-in",
                new { device = "tablet-gate-2" }))
            {
                Assert.True(other.IsSuccessStatusCode, await other.Content.ReadAsStringAsync());
            }

            var otherAt = (await AttendeesAsync(Boat)).EnumerateArray()
                .Single(r => r.GetProperty("code").GetString() == first.GetProperty("code").GetString()).GetProperty("checkedInAt").GetString()!;

            // The camera: five tickets one after another, each in some forty frames, each judged once.
            await page.ClickAsync("#scan-start");
            await page.WaitForSelectorAsync("#gate-status[data-queued='5']", new PageWaitForSelectorOptions { Timeout = 60_000 });
            await page.ClickAsync("#scan-start");
            Assert.True(await page.IsHiddenAsync("#scanner"));
            var scanned = await page.Locator("#scan-log li").AllAsync();
            Assert.Equal(Enumerable.Repeat<string?>("in", 5), await Task.WhenAll(scanned.Select(li => li.GetAttributeAsync("data-kind"))));
            var logText = string.Join("\n", await Task.WhenAll(scanned.Select(li => li.TextContentAsync())));
            Assert.All(reservations, r => Assert.Contains(r.GetProperty("code").GetString()!, logText));
            Assert.Equal(1, (await AttendeesAsync(Boat)).EnumerateArray().Count(r => r.GetProperty("status").GetString() == "checked-in"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "staff-offline-queued.png") });

            // Offline, another day's ticket is "wrong day" (its mark says so; its signature cannot be
            // checked here), and a ticket of today with a broken signature is forged; neither is queued.
            await page.FillAsync("#checkin-code", AppSettings.PublicBaseUrl + "/t/" + nextSunday);
            await page.PressAsync("#checkin-code", "Enter");
            await page.WaitForSelectorAsync("#verdict[data-verdict='wrong']");
            Assert.Contains("다른 날", await page.TextContentAsync("#verdict"));
            await page.FillAsync("#checkin-code", AppSettings.PublicBaseUrl + "/t/" + Forge(TicketOf(reservations[0])));
            await page.PressAsync("#checkin-code", "Enter");
            await page.WaitForSelectorAsync("#verdict[data-verdict='forged']");
            Assert.Equal("5", await page.GetAttributeAsync("#gate-status", "data-queued"));

            // Reloaded without a network: the page comes back, with its queue, and knows who is in.
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("body[data-gate-ready='true']");
            Assert.Equal("5", await page.GetAttributeAsync("#gate-status", "data-queued"));
            await page.FillAsync("#checkin-code", links[0]);
            await page.PressAsync("#checkin-code", "Enter");
            await page.WaitForSelectorAsync("#verdict[data-verdict='already']");
            Assert.Equal("5", await page.GetAttributeAsync("#gate-status", "data-queued"));

            await context.SetOfflineAsync(false);
            await page.WaitForSelectorAsync("#gate-status[data-queued='0']", new PageWaitForSelectorOptions { Timeout = 30_000 });
            var conflict = await page.TextContentAsync("#scan-log li[data-kind='conflict']");
            Assert.Contains(first.GetProperty("code").GetString()!, conflict);
            Assert.Contains(Hhmm(otherAt), conflict);
            Assert.Contains("tablet-gate-2", conflict);
            Assert.Equal(4, await page.Locator("#scan-log li[data-kind='synced']").CountAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "staff-offline-synced.png") });

            var attendees = (await AttendeesAsync(Boat)).EnumerateArray().ToList();
            foreach (var reservation in reservations)
            {
                var row = attendees.Single(r => r.GetProperty("code").GetString() == reservation.GetProperty("code").GetString());
                Assert.Equal("checked-in", row.GetProperty("status").GetString());
            }

            Assert.Equal(otherAt, attendees.Single(r => r.GetProperty("code").GetString() == first.GetProperty("code").GetString()).GetProperty("checkedInAt").GetString());
            using var capacity = await App.Staff.GetAsync($"api/staff/capacity?date={Sunday}");
            var board = await capacity.Content.ReadFromJsonAsync<JsonElement>();
            var checkedIn = board.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == Boat).GetProperty("checkedIn").GetInt32();
            Assert.Equal(reservations.Sum(r => r.GetProperty("partySize").GetInt32()), checkedIn);
            Assert.Empty(errors);
        }
        finally
        {
            File.Delete(video);
        }
    }
}
