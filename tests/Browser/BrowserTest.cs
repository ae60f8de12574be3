using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Testing;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// A test with the app running (devhost over the shared Azurite) and a fresh browser context on
/// it, phone-sized by default. The festival clock is pinned to Monday 2024-09-23 12:00 KST, so the
/// Sunday open for booking is 2024-09-29, a day no other test books on.
/// </summary>
public abstract class BrowserTest(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    public const string OpenSunday = "2024-09-29";
    public const string Now = "2024-09-23T12:00:00+09:00";

    private readonly List<string> _pageErrors = [];
    private RunningApp? _app;
    private IBrowserContext? _context;
    private IPage? _page;

    /// <summary>The store under the app, for tests that seed what no route writes.</summary>
    protected AzuriteFixture Azurite => azurite;

    protected RunningApp App => _app ?? throw new InvalidOperationException("Not started.");

    protected IPage Page => _page ?? throw new InvalidOperationException("Not started.");

    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("Not started.");

    protected string BaseUrl => App.Client.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>Uncaught script errors and console errors of the page so far.</summary>
    protected IReadOnlyList<string> PageErrors => _pageErrors;

    protected virtual ViewportSize Viewport => new() { Width = 360, Height = 760 };

    /// <summary>The browser's locale, which it also sends as Accept-Language.</summary>
    protected virtual string Locale => "ko-KR";

    /// <summary>Runs after the app's own registration (e.g. a recording SMS sender).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Settings the app gets besides the pinned clock (e.g. a catalog of the test's own).</summary>
    protected virtual IDictionary<string, string?> AppSettingsOverrides() => new Dictionary<string, string?>();

    /// <summary>The app's pinned clock (<c>Festival:Now</c>): <see cref="Now"/> unless a test needs another moment.</summary>
    protected virtual string AppNow => Now;

    /// <summary>The browser's clock: the festival's by default; null leaves the machine's (years later).</summary>
    protected virtual string? DeviceClock => Now;

    public async Task InitializeAsync()
    {
        var settings = AppSettingsOverrides();
        settings["Festival:Now"] = AppNow;
        _app = await RunningApp.StartAsync(azurite, settings, ConfigureServices);
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = Viewport,
            Locale = Locale,
            TimezoneId = "Asia/Seoul",
            AcceptDownloads = true,
        });
        _context.SetDefaultTimeout(15_000);
        if (DeviceClock is { } clock)
        {
            // The phone's clock agrees with the festival's (timers keep running).
            await _context.Clock.SetFixedTimeAsync(clock);
        }

        _page = await _context.NewPageAsync();
        _page.PageError += (_, error) => _pageErrors.Add(error);
        _page.Console += (_, message) =>
        {
            // A 4xx answer the page handles shows up as a console error; only script errors count.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _pageErrors.Add(message.Text);
            }
        };
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Opens a page and waits until its script has loaded its data.</summary>
    protected async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await Page.WaitForSelectorAsync("body[data-ready='true']");
    }

    /// <summary>A full-page screenshot under tests/TestResults/screenshots (and docs/screenshots when asked).</summary>
    protected async Task<string> ScreenshotAsync(string name, string? docsName = null)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (docsName is not null && Environment.GetEnvironmentVariable("FR_UPDATE_DOCS_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepositoryPaths.Root, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            // What a visitor or a staff member sees on the screen, not the whole scrolled page.
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, docsName + ".png"), FullPage = false });
        }

        return path;
    }

    /// <summary>Waits for the confirmation; fails with the page's message when an error shows instead.</summary>
    protected async Task<string> WaitForConfirmationAsync()
    {
        await Page.WaitForSelectorAsync("#view-done:not([hidden]), #message:not([hidden])");
        if (await Page.IsHiddenAsync("#view-done"))
        {
            // An error message may be followed by nothing else: say what it was.
            var message = await Page.TextContentAsync("#message");
            await Page.WaitForSelectorAsync("#view-done:not([hidden])", new PageWaitForSelectorOptions { Timeout = 2000 })
                .ContinueWith(t => Assert.False(t.IsFaulted, $"no confirmation; the page says: {message}"), TaskScheduler.Default);
        }

        return (await Page.TextContentAsync("#done-code"))!.Trim();
    }

    protected void AssertNoScriptErrors() => Assert.True(_pageErrors.Count == 0, "Script errors: " + string.Join(" | ", _pageErrors));

    // ---- API helpers (the contract, over real HTTP) --------------------------------------------

    protected async Task<JsonElement> SessionAsync(string sessionId)
    {
        using var response = await App.Client.GetAsync($"api/sessions/{sessionId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    protected async Task<int> ReservedAsync(string sessionId) => (await SessionAsync(sessionId)).GetProperty("reserved").GetInt32();

    /// <summary>
    /// Waits until the session reads as <paramref name="check"/> wants (session counts are cached
    /// for a second), then returns it; fails after five seconds.
    /// </summary>
    protected async Task<JsonElement> WaitForSessionAsync(string sessionId, Func<JsonElement, bool> check, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var session = await SessionAsync(sessionId);
            if (check(session))
            {
                return session;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{sessionId} never showed {what}: {session}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits for the session's reserved seats to reach <paramref name="expected"/>, then checks they stay there.</summary>
    protected async Task AssertReservedAsync(string sessionId, int expected)
    {
        await WaitForSessionAsync(sessionId, s => s.GetProperty("reserved").GetInt32() >= expected, $"{expected} reserved");
        await Task.Delay(1200);
        Assert.Equal(expected, await ReservedAsync(sessionId));
    }

    /// <summary>Books through the API and returns the reservation code.</summary>
    protected async Task<string> BookAsync(string sessionId, string phone, int partySize = 1, string name = "테스트", bool joinWaitlist = false)
    {
        using var response = await App.ReserveAsync(sessionId, new { name, phone, partySize, language = "ko", joinWaitlist });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"booking {sessionId} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!;
    }

    protected async Task<JsonElement> LookupAsync(string code, string phone)
    {
        using var response = await App.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"lookup {code} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected static string Slot(string sessionId) => $"button.slot[data-session-id='{sessionId}']";
}
