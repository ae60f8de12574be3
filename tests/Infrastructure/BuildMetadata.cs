using System.Reflection;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Infrastructure;

/// <summary>Paths baked into the test assembly by the build (see the tests project file).</summary>
internal static class BuildMetadata
{
    /// <summary>The bicep executable inside the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
    public static string BicepCliPath => Get("BicepCliPath");

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryPaths.Root, .. parts]);

    private static string Get(string key) =>
        typeof(BuildMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata; build it with dotnet build.");
}
