namespace FestivalReservations.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>Walks up from the test binaries to the folder holding FestivalReservations.sln.</summary>
    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FestivalReservations.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find FestivalReservations.sln in any folder above {AppContext.BaseDirectory}.");
    }
}
