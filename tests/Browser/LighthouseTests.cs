using System.Diagnostics;
using System.Text.Json;
using FestivalReservations.Testing;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// Lighthouse (npm, pinned in package.json) audits <c>/</c> and <c>/staff</c> in Debian's
/// headless chromium with its mobile settings: accessibility must score 100. Lighthouse starts
/// its own chromium (CHROME_PATH), so this runs against the app only, not the shared browser.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LighthouseTests(AzuriteFixture azurite, BrowserFixture browser)
    : BrowserTest(azurite, browser), IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/staff")]
    [InlineData("/t/{ticket}")]
    public async Task Lighthouse_accessibility_scores_100(string path)
    {
        if (path.Contains("{ticket}", StringComparison.Ordinal))
        {
            // The ticket page of a real booking (a bad ticket gets the page's not-found state).
            using var booked = await App.ReserveAsync("picnic-zone.20240929.1700",
                new { name = "등대", phone = EndToEnd.RunningApp.NewPhone(), partySize = 1, language = "ko" });
            var ticketUrl = JsonDocument.Parse(await booked.Content.ReadAsStringAsync()).RootElement.GetProperty("ticketUrl").GetString()!;
            path = ticketUrl;
        }

        var report = await RunAsync(BaseUrl + path);
        var category = report.GetProperty("categories").GetProperty("accessibility");
        var failed = category.GetProperty("auditRefs").EnumerateArray()
            .Select(r => report.GetProperty("audits").GetProperty(r.GetProperty("id").GetString()!))
            .Where(a => a.GetProperty("score").ValueKind == JsonValueKind.Number && a.GetProperty("score").GetDouble() < 1)
            .Select(a => $"{a.GetProperty("id").GetString()}: {a.GetProperty("title").GetString()}")
            .ToList();
        Assert.True(failed.Count == 0, $"{path}: " + string.Join("; ", failed));
        Assert.Equal(1.0, category.GetProperty("score").GetDouble());
    }

    private static async Task<JsonElement> RunAsync(string url)
    {
        var cli = Path.Combine(RepositoryPaths.Root, "node_modules", "lighthouse", "cli", "index.js");
        Assert.True(File.Exists(cli), $"Lighthouse is missing at {cli}: run npm ci (bash scripts/test.sh does).");
        var output = Path.Combine(Path.GetTempPath(), $"lighthouse-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                cli, url, "--only-categories=accessibility", "--output=json", $"--output-path={output}", "--quiet",
                "--chrome-flags=--headless=new " + string.Join(' ', BrowserFixture.ChromiumArgs),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHROME_PATH"] = Environment.GetEnvironmentVariable("FR_CHROMIUM") is { Length: > 0 } custom ? custom : BrowserFixture.ChromiumPath;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        try
        {
            Assert.True(process.ExitCode == 0 && File.Exists(output), $"lighthouse exited {process.ExitCode}: {await stderr}");
            return JsonDocument.Parse(await File.ReadAllTextAsync(output)).RootElement.Clone();
        }
        finally
        {
            File.Delete(output);
        }
    }
}
