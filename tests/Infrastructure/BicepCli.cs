using System.Diagnostics;

namespace FestivalReservations.Tests.Infrastructure;

internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Bicep writes every diagnostic (error, warning, info) to standard error.</summary>
    public bool IsClean => ExitCode == 0 && string.IsNullOrWhiteSpace(StandardError);

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{StandardError}";
}

/// <summary>Runs the Bicep CLI restored from NuGet: offline, no az CLI needed.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<BicepResult> MainTemplateBuild =
        new(() => Run("build", BuildMetadata.InRepository("infra", "main.bicep"), "--stdout"));

    /// <summary>infra/main.bicep compiled once per test run and shared by the tests that read it.</summary>
    public static BicepResult BuildMainTemplate() => MainTemplateBuild.Value;

    public static BicepResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} took longer than {Timeout}.");
        }

        return new BicepResult(process.ExitCode, output.Result, error.Result);
    }

    private static string Executable()
    {
        var path = BuildMetadata.BicepCliPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                "The Bicep CLI was not restored; run dotnet restore on FestivalReservations.sln.", path);
        }

        // Some package extractors drop the execute bit; put it back rather than fail.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}
