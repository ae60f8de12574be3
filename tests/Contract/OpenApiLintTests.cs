using System.Diagnostics;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Contract;

/// <summary>
/// functions/OpenApi/openapi.json passes <c>redocly lint</c> with the recommended rules (redocly.yaml), the same
/// check as <c>npm run lint:openapi</c>. Redocly comes from node_modules (package.json pins it); a missing one fails.
/// </summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public async Task OpenApi_Document_PassesRedoclyLintRecommended()
    {
        var root = RepositoryPaths.Root;
        var redocly = Path.Combine(root, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(redocly), $"redocly is missing at {redocly}: run npm ci (bash scripts/test.sh does).");

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { redocly, "lint", "--config=redocly.yaml", "--format=stylish", Path.Combine("functions", "OpenApi", "openapi.json") },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Redocly must not reach the network: no telemetry, no update check.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"redocly lint exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
