using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Json;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// A lottery from both pages (issue 18): a visitor enters on the visitor page and sees the entry,
/// staff draw it on the staff page once entries have closed, and the visitor's look-up shows the
/// result. The app gets a festival of its own (its own catalog file), whose one lottery takes
/// entries until 30 s after the pinned clock, so no other test's catalog is touched.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LotteryPageTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    private const string EntriesClose = "2024-09-23T12:00:30+09:00";
    private readonly string _programId = $"lucky-{Guid.NewGuid():N}"[..14];

    private string SessionId => $"{_programId}.20240929.1500";

    protected override IDictionary<string, string?> AppSettingsOverrides()
    {
        var document = new CatalogDocument
        {
            FestivalId = $"lottery-page-{Guid.NewGuid():N}"[..21],
            Name = new LocalizedText("차 없는 잠수교 뚜벅뚜벅 축제", "Car-Free Jamsugyo Bridge Festival"),
            Venue = new LocalizedText("잠수교", "Jamsugyo Bridge"),
            Dates = [OpenSunday],
            Programs =
            [
                new ProgramDocument
                {
                    ProgramId = _programId,
                    Theme = "art",
                    Title = new LocalizedText("가면 퍼레이드", "Mask Parade"),
                    Description = new LocalizedText("가면을 쓰고 다리를 걸어요.", "Walk the bridge in a mask."),
                    Location = new LocalizedText("잠수교 북단", "North end of the bridge"),
                    DurationMinutes = 60,
                    MaxPartySize = 4,
                    Allocation = "lottery",
                    Lottery = new LotteryDocument("2024-09-23T10:00:00+09:00", EntriesClose, "2024-09-23T12:01:00+09:00"),
                    Sessions = [new ScheduleDocument { Times = ["15:00"], Capacity = 10 }],
                },
            ],
        };
        var file = Path.Combine(Path.GetTempPath(), $"lottery-catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(document, JsonPolicies.Contract));
        return new Dictionary<string, string?> { ["Festival:CatalogFile"] = file };
    }

    [Fact]
    [NeedsRoutes("api/sessions/{sessionId}/reservations", "api/reservations/{code}/lookup", "api/staff/capacity",
        "api/staff/sessions/{sessionId}/draw", "api/sessions/{sessionId}/draw")]
    public async Task A_visitor_enters_staff_draw_and_the_visitor_sees_the_result()
    {
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");
        var slot = Page.Locator(Slot(SessionId));
        Assert.Equal("lottery", await slot.GetAttributeAsync("data-allocation"));
        Assert.Contains("추첨 응모 중", await slot.TextContentAsync());

        await slot.ClickAsync();
        Assert.Equal("응모하기", (await Page.TextContentAsync("#submit"))?.Trim());
        var note = await Page.TextContentAsync("#waitlist-note");
        Assert.Contains("추첨으로 자리를 정합니다", note);
        Assert.Contains("12:01", note);
        await Page.FillAsync("#name", "김추첨");
        await Page.FillAsync("#phone", phone);
        await Page.SelectOptionAsync("#party", "2");
        await ScreenshotAsync("lottery-form");
        await Page.ClickAsync("#submit");
        var code = await WaitForConfirmationAsync();
        Assert.Equal("추첨 응모가 접수되었습니다", await Page.TextContentAsync("#done-status"));
        await ScreenshotAsync("lottery-entered");

        // The entry, looked up.
        await Page.ClickAsync("#tab-mine");
        await Page.FillAsync("#lookup-code", code);
        await Page.FillAsync("#lookup-phone", phone);
        await Page.ClickAsync("#lookup");
        await Page.WaitForSelectorAsync(".reservation[data-status='entered']");
        Assert.Equal("응모 완료 · 추첨 대기", await Page.TextContentAsync(".reservation .badge"));

        // Staff draw once the entries have closed (the app's clock runs on from the pinned moment).
        await WaitForLotteryAsync("closed", TimeSpan.FromSeconds(60));
        var staff = await Context.NewPageAsync();
        await staff.GotoAsync("/staff");
        await staff.WaitForSelectorAsync("body[data-ready='true']");
        await staff.FillAsync("#key", RunningApp.StaffKey);
        await staff.ClickAsync("#key-submit");
        var row = $"#board .row[data-session-id='{SessionId}']";
        await staff.WaitForSelectorAsync($"{row}[data-lottery='closed']", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.Contains("추첨 1명 응모", await staff.TextContentAsync(row));
        await staff.ClickAsync(row);
        await staff.WaitForSelectorAsync("#lottery-box:not([hidden]) #draw:not([disabled])");
        await staff.ClickAsync("#draw");
        await staff.WaitForFunctionAsync("() => document.getElementById('message').textContent.includes('추첨 완료')");
        Assert.Contains("1팀 당첨", await staff.TextContentAsync("#message"));
        await staff.WaitForSelectorAsync($"#attendees tr[data-status='confirmed'][data-code='{code}']");
        await staff.WaitForSelectorAsync("#draw", new PageWaitForSelectorOptions { State = WaitForSelectorState.Hidden });
        await staff.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "lottery-staff-drawn.png"), FullPage = true });

        // The visitor's look-up shows the result.
        await Page.ClickAsync("#lookup");
        await Page.WaitForSelectorAsync(".reservation[data-status='confirmed']");
        Assert.Equal("예약 확정", await Page.TextContentAsync(".reservation .badge"));
        await ScreenshotAsync("lottery-won");

        // Anyone can check the draw: the revealed seed matches the hash published while entries were open.
        using var response = await App.Client.GetAsync($"api/sessions/{SessionId}/draw");
        response.EnsureSuccessStatusCode();
        var draw = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var seed = Convert.FromHexString(draw.GetProperty("seed").GetString()!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(seed)), draw.GetProperty("seedHash").GetString());
        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)))],
            draw.GetProperty("order").EnumerateArray().Select(e => e.GetString()));
        AssertNoScriptErrors();
    }

    private async Task WaitForLotteryAsync(string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var session = await SessionAsync(SessionId);
            if (session.GetProperty("lottery").GetProperty("status").GetString() == status)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the lottery never became {status}: {session}");
            await Task.Delay(500);
        }
    }
}
