using System.Reflection;

namespace FestivalReservations.Testing;

/// <summary>Where the repository and devhost's build output are: baked in at build, overridable by environment.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding FestivalReservations.sln (FR_REPO_ROOT overrides).</summary>
    public static string Root => Environment.GetEnvironmentVariable("FR_REPO_ROOT") is { Length: > 0 } root ? root : Metadata("RepositoryRoot");

    /// <summary>devhost's output folder for the configuration this library was built with (FR_DEVHOST_OUTPUT overrides).</summary>
    public static string DevHostOutput =>
        Environment.GetEnvironmentVariable("FR_DEVHOST_OUTPUT") is { Length: > 0 } output ? output : Metadata("DevHostOutput");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"FestivalReservations.Testing was built without {key} metadata.");
}
