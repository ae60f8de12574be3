using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>WCAG 2.2 AA on the staff page: axe over the key form, the board, an attendee list and check-in results.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StaffAccessibilityTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    protected override ViewportSize Viewport => new() { Width = 1024, Height = 768 };

    [Fact]
    [NeedsRoutes("api/staff/capacity", "api/staff/sessions/{sessionId}/reservations", "api/staff/reservations/{code}/check-in", "api/staff/sms")]
    public async Task Every_state_of_the_staff_page_has_no_axe_violation()
    {
        const string sessionId = "picnic-zone.20240929.1500";
        var code = await BookAsync(sessionId, RunningApp.NewPhone(), partySize: 2, name: "이접근");
        await OpenAsync("/staff");
        await Axe.AssertNoViolationsAsync(Page, "key form");

        await Page.FillAsync("#key", "wrong");
        await Page.ClickAsync("#key-submit");
        await Page.WaitForSelectorAsync("#message:not([hidden])");
        await Axe.AssertNoViolationsAsync(Page, "wrong key");

        await Page.FillAsync("#key", RunningApp.StaffKey);
        await Page.ClickAsync("#key-submit");
        await Page.WaitForSelectorAsync("#board-view:not([hidden])");
        await Axe.AssertNoViolationsAsync(Page, "board");
        foreach (var language in new[] { "en", "zh", "ja", "ko" })
        {
            await Page.ClickAsync($"#langs [data-lang='{language}']");
            await Axe.AssertNoViolationsAsync(Page, $"board ({language})");
        }

        await Page.ClickAsync($"#board .row[data-session-id='{sessionId}']");
        await Page.WaitForSelectorAsync($"#attendees tr[data-code='{code}']");
        await Axe.AssertNoViolationsAsync(Page, "attendee list");

        await Page.FillAsync("#checkin-code", code);
        await Page.ClickAsync("#checkin-submit");
        await Page.WaitForSelectorAsync("#checkin-result.ok:not([hidden])");
        await Axe.AssertNoViolationsAsync(Page, "checked in");
        Assert.Equal("status", await Page.GetAttributeAsync("#checkin-result", "role"));

        await Page.FillAsync("#checkin-code", code);
        await Page.ClickAsync("#checkin-submit");
        await Page.WaitForSelectorAsync("#checkin-result.error:not([hidden])");
        await Axe.AssertNoViolationsAsync(Page, "already checked in");
        AssertNoScriptErrors();
    }
}
