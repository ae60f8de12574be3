using System.Text.RegularExpressions;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>The visitor page in headless Chromium at 360 px, against the running app.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class VisitorPageTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex CodePattern();

    [Fact]
    public async Task A_visitor_books_a_session_in_Korean_and_sees_the_code()
    {
        const string sessionId = "bubble-playground.20240929.1330";
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");

        Assert.Equal("ko", await Page.GetAttributeAsync("html", "lang"));
        Assert.Contains("잠수교", await Page.TextContentAsync("#festival-name"));
        Assert.Equal("true", await Page.GetAttributeAsync($"#dates [data-date='{OpenSunday}']", "aria-pressed"));
        Assert.Equal("놀이", await Page.TextContentAsync("section[data-theme='play'] h2"));
        Assert.Contains("잔여 80석", await Page.TextContentAsync(Slot(sessionId)));
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "the page is wider than the phone");
        await ScreenshotAsync("visitor-ko-programs", docsName: "visitor-ko-360");

        await Page.ClickAsync(Slot(sessionId));
        await Page.FillAsync("#name", "김민지");
        await Page.FillAsync("#phone", phone);
        await Page.SelectOptionAsync("#party", "3");
        Assert.Equal("예약하기", (await Page.TextContentAsync("#submit"))?.Trim());
        await ScreenshotAsync("visitor-ko-form");
        await Page.ClickAsync("#submit");

        var code = await WaitForConfirmationAsync();
        Assert.Matches(CodePattern(), code);
        Assert.Equal("예약이 확정되었습니다", await Page.TextContentAsync("#done-status"));
        Assert.Contains("3명", await Page.TextContentAsync("#done-details"));
        // The confirmation links to the ticket page (the link the SMS carries).
        Assert.StartsWith("/t/" + code.Replace("-", ""), await Page.GetAttributeAsync("#done-ticket", "href"), StringComparison.Ordinal);
        Assert.True(await Page.IsVisibleAsync("#done-ticket"));
        var fontSize = await Page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.getElementById('done-code')).fontSize)");
        Assert.True(fontSize >= 36, $"the code is {fontSize}px: too small to show at the gate");
        await ScreenshotAsync("visitor-ko-confirmation", docsName: "visitor-ko-confirmation");

        var reservation = await LookupAsync(code, phone);
        Assert.Equal("confirmed", reservation.GetProperty("status").GetString());
        Assert.Equal(sessionId, reservation.GetProperty("sessionId").GetString());
        Assert.Equal(3, reservation.GetProperty("partySize").GetInt32());
        Assert.Equal("ko", reservation.GetProperty("language").GetString());
        Assert.Equal("김민지", reservation.GetProperty("name").GetString());
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_visitor_books_a_session_in_English_and_sees_the_code()
    {
        const string sessionId = "traditional-games.20240929.1400";
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");

        await Page.ClickAsync("#langs [data-lang='en']");
        Assert.Equal("en", await Page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Car-Free Jamsugyo Bridge Festival", await Page.TextContentAsync("#festival-name"));
        Assert.Equal("Play", await Page.TextContentAsync("section[data-theme='play'] h2"));
        Assert.Contains("Traditional", await Page.TextContentAsync("article[data-program-id='traditional-games'] h3"));
        Assert.Contains("100 left", await Page.TextContentAsync(Slot(sessionId)));

        await Page.ClickAsync(Slot(sessionId));
        await Page.FillAsync("#name", "Alex Kim");
        await Page.FillAsync("#phone", phone.Replace("-", "", StringComparison.Ordinal));
        await Page.SelectOptionAsync("#party", "2");
        Assert.Equal("Reserve", (await Page.TextContentAsync("#submit"))?.Trim());
        await Page.ClickAsync("#submit");

        var code = await WaitForConfirmationAsync();
        Assert.Matches(CodePattern(), code);
        Assert.Equal("Your reservation is confirmed", await Page.TextContentAsync("#done-status"));
        await ScreenshotAsync("visitor-en-confirmation");

        var reservation = await LookupAsync(code, phone);
        Assert.Equal("confirmed", reservation.GetProperty("status").GetString());
        Assert.Equal("en", reservation.GetProperty("language").GetString());

        // The choice of language survives a reload.
        await OpenAsync("/");
        Assert.Equal("en", await Page.GetAttributeAsync("html", "lang"));
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_double_tap_on_submit_makes_one_reservation()
    {
        const string sessionId = "kids-chalk-drawing.20240929.1330";
        var phone = RunningApp.NewPhone();
        var before = await ReservedAsync(sessionId);
        var posts = new List<string?>();
        // A slow network, so the second tap lands while the first request is still in flight.
        await Page.RouteAsync("**/api/sessions/*/reservations", async route =>
        {
            lock (posts)
            {
                posts.Add(route.Request.Headers.GetValueOrDefault("idempotency-key"));
            }

            await Task.Delay(700);
            await route.ContinueAsync();
        });
        await OpenAsync("/");
        await Page.ClickAsync(Slot(sessionId));
        await Page.FillAsync("#name", "두번탭");
        await Page.FillAsync("#phone", phone);
        await Page.SelectOptionAsync("#party", "2");

        // Two taps in the same instant, then a third on the (now disabled) button.
        await Page.EvaluateAsync("() => { const f = document.getElementById('reserve-form'); f.requestSubmit(); f.requestSubmit(); }");
        Assert.True(await Page.IsDisabledAsync("#submit"));
        await Page.ClickAsync("#submit", new PageClickOptions { Force = true });
        await Page.WaitForSelectorAsync("#view-done:not([hidden])");

        Assert.Single(posts);
        await AssertReservedAsync(sessionId, before + 2);
        await ScreenshotAsync("visitor-double-tap");
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_retry_after_a_network_error_reuses_the_Idempotency_Key_and_books_once()
    {
        const string sessionId = "kids-chalk-drawing.20240929.1500";
        var phone = RunningApp.NewPhone();
        var before = await ReservedAsync(sessionId);
        var keys = new List<string?>();
        string? lostCode = null;
        string? replayed = null;
        await Page.RouteAsync("**/api/sessions/*/reservations", async route =>
        {
            keys.Add(route.Request.Headers.GetValueOrDefault("idempotency-key"));
            var response = await route.FetchAsync();
            if (keys.Count == 1)
            {
                // The server booked, but the answer is lost on the way back (a dropped mobile connection).
                lostCode = System.Text.Json.JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("code").GetString();
                await route.AbortAsync("connectionreset");
                return;
            }

            replayed = response.Headers.GetValueOrDefault("idempotent-replayed");
            await route.FulfillAsync(new RouteFulfillOptions { Response = response });
        });
        await OpenAsync("/");
        await Page.ClickAsync(Slot(sessionId));
        await Page.FillAsync("#name", "재시도");
        await Page.FillAsync("#phone", phone);
        await Page.ClickAsync("#submit");

        await Page.WaitForSelectorAsync("#message:not([hidden])");
        Assert.Contains("연결이 불안정합니다", await Page.TextContentAsync("#message"));
        Assert.True(await Page.IsEnabledAsync("#submit"));
        await ScreenshotAsync("visitor-network-error");

        await Page.ClickAsync("#submit");
        await Page.WaitForSelectorAsync("#view-done:not([hidden])");

        Assert.Equal(2, keys.Count);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal("true", replayed);
        Assert.Equal(lostCode, (await Page.TextContentAsync("#done-code"))!.Trim());
        await AssertReservedAsync(sessionId, before + 1);
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_full_session_offers_the_waitlist()
    {
        const string sessionId = "hammock-rest.20240929.1300"; // capacity 20, parties of up to 2
        var session = await SessionAsync(sessionId);
        for (var remaining = session.GetProperty("remaining").GetInt32(); remaining > 0; remaining -= 2)
        {
            await BookAsync(sessionId, RunningApp.NewPhone(), partySize: Math.Min(2, remaining));
        }

        await WaitForSessionAsync(sessionId, s => s.GetProperty("status").GetString() == "full", "full");
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");
        var slot = Page.Locator(Slot(sessionId));
        Assert.Equal("full", await slot.GetAttributeAsync("data-status"));
        Assert.Contains("대기 신청", await slot.TextContentAsync());

        await slot.ClickAsync();
        Assert.True(await Page.IsVisibleAsync("#waitlist-note"));
        Assert.Equal("대기자 명단 신청", (await Page.TextContentAsync("#submit"))?.Trim());
        await Page.FillAsync("#name", "대기자");
        await Page.FillAsync("#phone", phone);
        await ScreenshotAsync("visitor-waitlist-form");
        await Page.ClickAsync("#submit");

        await Page.WaitForSelectorAsync("#view-done:not([hidden])");
        Assert.Equal("대기자 명단 1번째로 등록되었습니다", await Page.TextContentAsync("#done-status"));
        var code = (await Page.TextContentAsync("#done-code"))!.Trim();
        await ScreenshotAsync("visitor-waitlisted");

        var reservation = await LookupAsync(code, phone);
        Assert.Equal("waitlisted", reservation.GetProperty("status").GetString());
        Assert.Equal(1, reservation.GetProperty("waitlistPosition").GetInt32());
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Looking_up_and_cancelling_a_reservation_works()
    {
        const string sessionId = "bridge-yoga.20240929.1330";
        var phone = RunningApp.NewPhone();
        var code = await BookAsync(sessionId, phone, partySize: 2, name: "이서연");
        await OpenAsync("/");
        await Page.ClickAsync("#tab-mine");

        // A wrong phone reads as a message, not as JSON.
        await Page.FillAsync("#lookup-code", code.ToLowerInvariant());
        await Page.FillAsync("#lookup-phone", "010-0000-0001");
        await Page.ClickAsync("#lookup");
        await Page.WaitForSelectorAsync("#message:not([hidden])");
        var notFound = await Page.TextContentAsync("#message");
        Assert.Contains("맞는 예약이 없습니다", notFound);
        Assert.DoesNotContain("{", notFound);

        await Page.FillAsync("#lookup-phone", phone);
        await Page.ClickAsync("#lookup");
        await Page.WaitForSelectorAsync(".reservation[data-status='confirmed']");
        Assert.Equal("예약 확정", await Page.TextContentAsync(".reservation .badge"));
        Assert.Contains("이서연", await Page.TextContentAsync(".reservation"));
        await ScreenshotAsync("visitor-lookup");

        await Page.ClickAsync("#cancel");
        Assert.Contains("한 번 더 누르면", await Page.TextContentAsync(".reservation"));
        await Page.ClickAsync("#cancel");
        await Page.WaitForSelectorAsync(".reservation[data-status='cancelled']");
        Assert.Equal("취소됨", await Page.TextContentAsync(".reservation .badge"));
        Assert.Equal("예약이 취소되었습니다.", await Page.TextContentAsync("#message"));
        Assert.Equal(0, await Page.Locator("#cancel").CountAsync());
        await ScreenshotAsync("visitor-cancelled");

        Assert.Equal("cancelled", (await LookupAsync(code, phone)).GetProperty("status").GetString());
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Api_errors_read_as_messages_in_the_chosen_language()
    {
        const string sessionId = "bridge-yoga.20240929.1500";
        var phone = RunningApp.NewPhone();
        await BookAsync(sessionId, phone);
        await OpenAsync("/");
        await Page.ClickAsync(Slot(sessionId));
        await Page.FillAsync("#name", "중복");

        // A landline is refused by the API (invalid-phone).
        await Page.FillAsync("#phone", "02-2133-0000");
        await Page.ClickAsync("#submit");
        await Page.WaitForSelectorAsync("#message:not([hidden])");
        Assert.Contains("휴대폰 번호(010-1234-5678 형식)", await Page.TextContentAsync("#message"));

        // The same phone again for the same session (duplicate-reservation).
        await Page.FillAsync("#phone", phone);
        await Page.ClickAsync("#submit");
        await Page.WaitForFunctionAsync("() => document.getElementById('message').textContent.includes('이미 이 회차를 예약')");

        await Page.ClickAsync("#langs [data-lang='en']");
        await Page.ClickAsync("#submit");
        await Page.WaitForFunctionAsync("() => document.getElementById('message').textContent.includes('already has a reservation')");
        var text = await Page.TextContentAsync("#message");
        Assert.DoesNotContain("{", text);
        Assert.DoesNotContain("duplicate-reservation", text);
        await ScreenshotAsync("visitor-error-en");
        AssertNoScriptErrors();
    }
}

/// <summary>A phone whose clock is far off still lands on the Sunday that is open for booking.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class VisitorClockTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    protected override string? DeviceClock => null;

    [Fact]
    public async Task The_open_Sunday_is_chosen_whatever_the_phones_clock_says()
    {
        await OpenAsync("/");
        Assert.Equal("true", await Page.GetAttributeAsync($"#dates [data-date='{OpenSunday}']", "aria-pressed"));
        Assert.True(await Page.Locator("button.slot.open").CountAsync() > 0);

        // Another Sunday can be picked; one already over offers nothing to book.
        await Page.ClickAsync("#dates [data-date='2024-09-22']");
        await Page.WaitForSelectorAsync("button.slot[data-session-id^='bubble-playground.20240922']");
        Assert.Equal(0, await Page.Locator("button.slot:not([disabled])").CountAsync());
        Assert.Contains("예약 종료", await Page.TextContentAsync("button.slot[data-session-id='bubble-playground.20240922.1330']"));
        AssertNoScriptErrors();
    }
}
