using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>The staff page on a tablet-sized screen, against the staff API (API.md, "Staff").</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StaffPageTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    // The staff routes of API.md this page uses.
    private const string Capacity = "api/staff/capacity";
    private const string Attendees = "api/staff/sessions/{sessionId}/reservations";
    private const string CheckIn = "api/staff/reservations/{code}/check-in";
    private const string Sms = "api/staff/sms";
    private const string SmsRetry = "api/staff/sms/{messageId}/retry";
    private const string ErasureRuns = "api/staff/erasure-runs";

    protected override ViewportSize Viewport => new() { Width = 1024, Height = 768 };

    private static string Row(string sessionId) => $"#board .row[data-session-id='{sessionId}']";

    private async Task EnterKeyAsync(string key)
    {
        await Page.FillAsync("#key", key);
        await Page.ClickAsync("#key-submit");
    }

    private Task<string?> StoredKeyAsync() => Page.EvaluateAsync<string?>("() => sessionStorage.getItem('fr.staffKey')");

    [Fact]
    [NeedsRoutes(Capacity)]
    public async Task The_staff_page_refuses_a_wrong_key_and_asks_again()
    {
        await OpenAsync("/staff");
        Assert.True(await Page.IsVisibleAsync("#login"));
        Assert.True(await Page.IsHiddenAsync("#board-view"));

        await EnterKeyAsync("not-the-key");
        await Page.WaitForFunctionAsync("() => document.getElementById('message').textContent.includes('스태프 키가 올바르지 않습니다')");
        Assert.True(await Page.IsVisibleAsync("#login"));
        Assert.True(await Page.IsHiddenAsync("#board-view"));
        Assert.Null(await StoredKeyAsync());
        await ScreenshotAsync("staff-wrong-key");

        await EnterKeyAsync(RunningApp.StaffKey);
        await Page.WaitForSelectorAsync("#board-view:not([hidden])");
        Assert.True(await Page.IsHiddenAsync("#login"));
        Assert.Equal(RunningApp.StaffKey, await StoredKeyAsync());
        Assert.Equal(0, await Page.EvaluateAsync<int>("() => localStorage.length && Object.keys(localStorage).filter(k => localStorage.getItem(k).includes('e2e-staff-key')).length"));

        // Asked once: a reload in the same tab goes straight to the board.
        await OpenAsync("/staff");
        await Page.WaitForSelectorAsync("#board-view:not([hidden])");
        Assert.True(await Page.IsHiddenAsync("#login"));
        AssertNoScriptErrors();
    }

    [Fact]
    [NeedsRoutes(Capacity)]
    public async Task The_staff_key_field_is_masked_but_not_offered_to_password_managers()
    {
        await OpenAsync("/staff");
        await Page.WaitForSelectorAsync("#login:not([hidden])");

        // Password managers offer to save and fill type=password fields and current-password/new-password ones.
        Assert.Equal(0, await Page.Locator("input[type=password]").CountAsync());
        Assert.Equal("text", await Page.GetAttributeAsync("#key", "type"));
        Assert.Equal("off", await Page.GetAttributeAsync("#key", "autocomplete"));
        Assert.Equal(0, await Page.Locator("[autocomplete*=password]").CountAsync());
        Assert.Equal("disc", await Page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('key')).webkitTextSecurity"));

        await EnterKeyAsync(RunningApp.StaffKey);
        await Page.WaitForSelectorAsync("#board-view:not([hidden])");
        AssertNoScriptErrors();
    }

    [Fact]
    [NeedsRoutes(Capacity, Attendees, CheckIn)]
    public async Task The_board_shows_the_day_and_a_check_in_moves_the_bar()
    {
        const string sessionId = "family-cycling-class.20240929.1400";
        var first = await BookAsync(sessionId, RunningApp.NewPhone(), partySize: 3, name: "박지훈");
        var second = await BookAsync(sessionId, RunningApp.NewPhone(), partySize: 2, name: "최유나");
        await BookAsync("bubble-playground.20240929.1530", RunningApp.NewPhone(), partySize: 5);
        await BookAsync("traditional-games.20240929.1530", RunningApp.NewPhone(), partySize: 4);
        await WaitForSessionAsync(sessionId, s => s.GetProperty("reserved").GetInt32() == 5, "5 reserved");

        await OpenAsync("/staff");
        await EnterKeyAsync(RunningApp.StaffKey);
        await Page.WaitForSelectorAsync("#board-view:not([hidden])");
        Assert.Equal("true", await Page.GetAttributeAsync($"#dates [data-date='{OpenSunday}']", "aria-pressed"));
        var row = Page.Locator(Row(sessionId));
        await Page.WaitForSelectorAsync($"{Row(sessionId)}[data-reserved='5']");
        Assert.Equal("0", await row.GetAttributeAsync("data-checked-in"));
        Assert.Equal("30", await row.GetAttributeAsync("data-capacity"));
        var inWidth = () => row.Locator(".bar .in").EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        var reservedWidth = () => row.Locator(".bar .res").EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        Assert.Equal(0, await inWidth());
        Assert.True(await reservedWidth() > 0);

        // Check in by typing the code (lower case, no hyphen: as staff might type it).
        await Page.FillAsync("#checkin-code", first.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());
        await Page.ClickAsync("#checkin-submit");
        await Page.WaitForFunctionAsync("() => document.getElementById('checkin-result').textContent.includes('입장 완료')");
        Assert.Contains("박지훈", await Page.TextContentAsync("#checkin-result"));
        await Page.WaitForSelectorAsync($"{Row(sessionId)}:not([data-checked-in='0'])");
        Assert.True(await inWidth() > 0, "the checked-in part of the bar did not grow");

        // The same code again is refused readably.
        await Page.FillAsync("#checkin-code", first);
        await Page.ClickAsync("#checkin-submit");
        await Page.WaitForFunctionAsync("() => document.getElementById('checkin-result').textContent.includes('이미 입장 처리된')");

        // The attendee list checks in the second party with a button.
        await row.ClickAsync();
        await Page.WaitForSelectorAsync($"#attendees tr[data-code='{second}'][data-status='confirmed']");
        Assert.Equal("checked-in", await Page.GetAttributeAsync($"#attendees tr[data-code='{first}']", "data-status"));
        var before = await inWidth();
        await Page.ClickAsync($"#attendees tr[data-code='{second}'] button.check-in");
        await Page.WaitForSelectorAsync($"#attendees tr[data-code='{second}'][data-status='checked-in']");
        await Page.WaitForFunctionAsync(
            "([selector, width]) => document.querySelector(selector + ' .bar .in').getBoundingClientRect().width > width",
            new object[] { Row(sessionId), before });

        // CSV download: the key goes in the header, the file opens in Excel with Korean intact.
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.ClickAsync("#csv"));
        Assert.Equal($"{sessionId}.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "the CSV has no UTF-8 BOM");
        var csv = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains(first, csv);
        Assert.Contains("최유나", csv);

        await ScreenshotAsync("staff-board", docsName: "staff-board");
        AssertNoScriptErrors();
    }

    [Fact]
    [NeedsRoutes(Capacity, Sms, SmsRetry)]
    public async Task The_failed_SMS_list_loads_and_offers_retry()
    {
        await OpenAsync("/staff");
        await EnterKeyAsync(RunningApp.StaffKey);
        await Page.WaitForSelectorAsync("#board-view:not([hidden])");
        await Page.WaitForFunctionAsync("() => document.getElementById('sms-hint').textContent.length > 0 || document.querySelectorAll('#sms tbody tr').length > 0");
        var rows = await Page.Locator("#sms tbody tr").CountAsync();
        if (rows == 0)
        {
            Assert.Equal("발송에 실패한 문자가 없습니다.", await Page.TextContentAsync("#sms-hint"));
        }
        else
        {
            await Page.ClickAsync("#sms tbody tr:first-child button");
            await Page.WaitForFunctionAsync("() => document.getElementById('message').textContent.length > 0");
        }

        await ScreenshotAsync("staff-sms");
        AssertNoScriptErrors();
    }

    [Fact]
    [NeedsRoutes(Capacity, ErasureRuns)]
    public async Task The_erasure_runs_show_when_each_ran_and_what_it_erased_in_numbers()
    {
        var tables = new FestivalReservations.Core.Storage.StorageTables(Azurite.CreateTableServiceClient(), Azurite.CreateQueueServiceClient());
        var runId = Guid.NewGuid().ToString("N");
        var at = new DateTimeOffset(2099, 6, 1, 18, 0, 0, TimeSpan.Zero);
        await new FestivalReservations.Core.Storage.ErasureRunStore(tables).SaveAsync(new FestivalReservations.Core.Privacy.ErasureRun(
            runId, at, at.AddSeconds(1), at.AddDays(-30), 7, 0, 0, 900, new Dictionary<string, int> { ["reservations"] = 20, ["phone-rows"] = 20 }), default);

        await OpenAsync("/staff?lang=en");
        await EnterKeyAsync(RunningApp.StaffKey);
        await Page.WaitForSelectorAsync($"#erasure tbody tr[data-run-id='{runId}']");
        var cells = await Page.Locator($"#erasure tbody tr[data-run-id='{runId}'] td").AllTextContentsAsync();
        Assert.Equal(["7", "40"], cells.Skip(2));
        Assert.Equal("Personal data erasure runs", await Page.TextContentAsync("[data-i18n='erasureTitle']"));

        await ScreenshotAsync("staff-erasure-runs");
        AssertNoScriptErrors();
    }
}
