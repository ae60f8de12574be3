using System.Net.Http.Json;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// WCAG 2.2 AA on the visitor page: axe over every state in every language, a booking by
/// keyboard alone with what a screen reader is told, text at 200 % and touch targets.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class VisitorAccessibilityTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    private const string Bubbles = "bubble-playground.20240929.1430";
    private const string Hammocks = "hammock-rest.20240929.1400";

    private Task AxeAsync(string state) => Axe.AssertNoViolationsAsync(Page, state);

    [Fact]
    public async Task Every_state_of_the_visitor_page_has_no_axe_violation_in_any_language()
    {
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");
        await AxeAsync("programs (ko)");
        foreach (var (language, tag) in new[] { ("en", "en"), ("zh", "zh-Hans"), ("ja", "ja"), ("ko", "ko") })
        {
            await Page.ClickAsync($"#langs [data-lang='{language}']");
            Assert.Equal(tag, await Page.GetAttributeAsync("html", "lang"));
            Assert.Equal("true", await Page.GetAttributeAsync($"#langs [data-lang='{language}']", "aria-current"));
            await AxeAsync($"programs ({language})");
        }

        // The form, and its errors tied to the fields.
        await Page.ClickAsync(Slot(Bubbles));
        await AxeAsync("form");
        await Page.ClickAsync("#submit");
        Assert.Equal("true", await Page.GetAttributeAsync("#name", "aria-invalid"));
        await Assertions.Expect(Page.Locator("#name")).ToHaveAccessibleDescriptionAsync("이름을 입력해 주세요 (40자 이내).");
        await AxeAsync("form, name missing");
        await Page.FillAsync("#name", "접근성");
        await Page.FillAsync("#phone", "02-2133-0000");
        await Page.ClickAsync("#submit");
        await Page.WaitForSelectorAsync("#phone[aria-invalid='true']");
        Assert.False(await Page.IsVisibleAsync("#name-error"));
        await Assertions.Expect(Page.Locator("#phone")).ToBeFocusedAsync();
        await AxeAsync("form, phone refused by the API");

        await Page.FillAsync("#phone", phone);
        await Page.ClickAsync("#submit");
        var code = await WaitForConfirmationAsync();
        await Assertions.Expect(Page.Locator("#done-status")).ToBeFocusedAsync();
        await AxeAsync("confirmation");

        // My reservation: empty, not found, found, cancel asked, cancelled.
        await Page.ClickAsync("#tab-mine");
        await Page.FillAsync("#lookup-code", "");
        await Page.FillAsync("#lookup-phone", "");
        await AxeAsync("lookup");
        await Page.ClickAsync("#lookup");
        Assert.Equal("true", await Page.GetAttributeAsync("#lookup-code", "aria-invalid"));
        await AxeAsync("lookup, code missing");
        await Page.FillAsync("#lookup-code", "ZZZZ-ZZZZ");
        await Page.FillAsync("#lookup-phone", phone);
        await Page.ClickAsync("#lookup");
        await Page.WaitForSelectorAsync("#message:not([hidden])");
        await AxeAsync("lookup, not found");
        await Page.FillAsync("#lookup-code", code);
        await Page.ClickAsync("#lookup");
        await Assertions.Expect(Page.Locator("#mine-status")).ToBeFocusedAsync();
        await AxeAsync("lookup, found");
        await Page.ClickAsync("#cancel");
        await Assertions.Expect(Page.Locator("#cancel")).ToBeFocusedAsync();
        await AxeAsync("cancel asked");
        await Page.ClickAsync("#cancel");
        await Page.WaitForSelectorAsync(".reservation[data-status='cancelled']");
        await AxeAsync("cancelled");

        // A full session: the waitlist offer and a waitlisted confirmation.
        await BookAsync(Hammocks, RunningApp.NewPhone(), partySize: 2);
        using (var full = await App.Staff.PatchAsJsonAsync($"api/staff/sessions/{Hammocks}", new { capacity = 2 }))
        {
            full.EnsureSuccessStatusCode();
        }

        await WaitForSessionAsync(Hammocks, s => s.GetProperty("status").GetString() == "full", "full");
        await OpenAsync("/");
        await Page.ClickAsync(Slot(Hammocks));
        await Page.WaitForSelectorAsync("#waitlist-note:not([hidden])");
        await AxeAsync("waitlist offer");
        await Page.FillAsync("#name", "대기자");
        await Page.FillAsync("#phone", RunningApp.NewPhone());
        await Page.ClickAsync("#submit");
        await WaitForConfirmationAsync();
        Assert.Contains("대기자 명단", await Page.TextContentAsync("#done-status"));
        await AxeAsync("waitlisted");
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_booking_by_keyboard_alone_announces_each_step_to_a_screen_reader()
    {
        const string sessionId = "bridge-yoga.20240929.1500";
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");

        // Tab from the top of the page to the session: every stop on the way is visible and named.
        var stops = 0;
        while (await Page.EvaluateAsync<string?>("() => document.activeElement?.dataset?.sessionId ?? null") != sessionId)
        {
            await Page.Keyboard.PressAsync("Tab");
            Assert.True(++stops < 200, "the session cannot be reached with Tab");
            var stop = await Page.EvaluateAsync<string>(
                "() => { const e = document.activeElement; const r = e.getBoundingClientRect(); return `${e.tagName}|${r.width > 0 && r.height > 0}|${(e.textContent || e.getAttribute('aria-label') || e.labels?.[0]?.textContent || '').trim().length > 0}`; }");
            Assert.DoesNotContain("|false", stop);
        }

        // Enter chooses it; focus goes to the first field, named by its label.
        await Page.Keyboard.PressAsync("Enter");
        var name = Page.GetByRole(AriaRole.Textbox, new() { Name = "이름" });
        await Assertions.Expect(name).ToBeFocusedAsync();

        // Submitting empty: the error is the field's description and focus stays on it.
        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(name).ToHaveAccessibleDescriptionAsync("이름을 입력해 주세요 (40자 이내).");
        await Assertions.Expect(name).ToBeFocusedAsync();

        await Page.Keyboard.TypeAsync("키보드");
        await Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "휴대폰 번호" })).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(phone);
        await Page.Keyboard.PressAsync("Tab");
        var party = Page.GetByRole(AriaRole.Combobox, new() { Name = "인원" });
        await Assertions.Expect(party).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ArrowDown");
        await Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "예약하기", Exact = true }).Last).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");

        // The result: focus on the heading that says it; the code is on the screen in large type.
        var code = await WaitForConfirmationAsync();
        var done = Page.GetByRole(AriaRole.Heading, new() { Name = "예약이 확정되었습니다" });
        await Assertions.Expect(done).ToBeFocusedAsync();
        Assert.Equal(2, (await LookupAsync(code, phone)).GetProperty("partySize").GetInt32());

        // Errors from the API are announced: the message is an alert.
        Assert.Equal("alert", await Page.GetAttributeAsync("#message", "role"));
        Assert.Equal("polite", await Page.GetAttributeAsync("#mine-result", "aria-live"));
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Text_at_200_percent_loses_nothing_and_every_target_is_at_least_24_px()
    {
        await Page.SetViewportSizeAsync(320, 640);
        await OpenAsync("/");
        await Page.EvaluateAsync("() => { document.documentElement.style.fontSize = '200%'; }");

        // Reflow (1.4.4, 1.4.10): no page-wide sideways scrolling and no text cut off in a control.
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "at 200 % the page scrolls sideways");
        var clipped = await Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('button, a, label, h1, h2, h3, p')].filter((e) => e.offsetParent && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible').map((e) => e.id || e.className || e.tagName)");
        Assert.Empty(clipped);
        await ScreenshotAsync("visitor-zoom-200");

        await Page.EvaluateAsync("() => { document.documentElement.style.fontSize = ''; }");
        await Page.SetViewportSizeAsync(360, 760);
        foreach (var view in new[] { "#tab-book", "#tab-mine" })
        {
            await Page.ClickAsync(view);
            var small = await Page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('button, a, input, select')].filter((e) => e.offsetParent).map((e) => [e, e.getBoundingClientRect()]).filter(([, r]) => r.width < 24 || r.height < 24).map(([e, r]) => `${e.id || e.className} ${r.width}x${r.height}`)");
            Assert.Empty(small);
        }

        AssertNoScriptErrors();
    }
}
