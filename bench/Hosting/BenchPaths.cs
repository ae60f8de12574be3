using System.Reflection;

namespace FestivalReservations.Bench.Hosting;

/// <summary>Where the repository and devhost's build output are (baked in at build, overridable by environment).</summary>
public static class BenchPaths
{
    public static string RepositoryRoot =>
        Environment.GetEnvironmentVariable("FR_REPO_ROOT") ?? Metadata("RepositoryRoot");

    /// <summary>devhost's output folder for the configuration the bench was built with.</summary>
    public static string DevHostOutput =>
        Environment.GetEnvironmentVariable("FR_DEVHOST_OUTPUT") ?? Metadata("DevHostOutput");

    public static string ResultsFolder => Path.Combine(RepositoryRoot, "bench", "results");

    private static string Metadata(string key) =>
        typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The bench was built without {key} metadata.");
}
