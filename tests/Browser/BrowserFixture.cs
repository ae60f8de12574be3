using FestivalReservations.Testing;
using Microsoft.Playwright;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium, installed by scripts/test.sh) driven by
/// Playwright for .NET, whose driver ships inside the NuGet package; Playwright never downloads a
/// browser here. A missing Chromium makes the tests FAIL, never skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>Where the tests' screenshots go: tests/TestResults/screenshots.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("FR_CHROMIUM") is { Length: > 0 } custom ? custom : ChromiumPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {executable}: run bash scripts/test.sh (it installs Debian's chromium) or apt-get install -y chromium.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
