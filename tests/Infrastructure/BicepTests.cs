namespace FestivalReservations.Tests.Infrastructure;

public sealed class BicepTests
{
    [Fact]
    public void Build_MainTemplate_CompilesWithoutErrorsOrWarnings()
    {
        var result = BicepCli.BuildMainTemplate();

        Assert.True(result.IsClean, result.ToString());
        Assert.Contains("\"$schema\"", result.StandardOutput);
    }

    [Fact]
    public void Lint_MainTemplate_ReportsNothing()
    {
        var result = BicepCli.Run("lint", BuildMetadata.InRepository("infra", "main.bicep"));

        Assert.True(result.IsClean, result.ToString());
    }

    [Fact]
    public void Lint_TemplateWithUnusedParameter_ReportsWarning()
    {
        // Guards the two tests above: a warning must make IsClean false, or they could never fail.
        var folder = Directory.CreateTempSubdirectory("bicep-lint-");
        try
        {
            var file = Path.Combine(folder.FullName, "unused.bicep");
            File.WriteAllText(file, "param unused string\n");

            var result = BicepCli.Run("lint", file);

            Assert.False(result.IsClean);
            Assert.Contains("Warning no-unused-params", result.StandardError);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
