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

public sealed class BicepTablesTests
{
    [Fact]
    public void MainTemplate_StorageTables_AreEveryFixedTableTheAppUses()
    {
        // The daily RateLimitsyyyyMMdd tables are left out on purpose: the app creates and deletes them.
        var tables = new FestivalReservations.Core.Storage.StorageTables(
            new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"),
            new Azure.Storage.Queues.QueueServiceClient("UseDevelopmentStorage=true"));
        var app = tables.GetType().GetProperties()
            .Where(property => property.PropertyType == typeof(Azure.Data.Tables.TableClient))
            .Select(property => ((Azure.Data.Tables.TableClient)property.GetValue(tables)!).Name)
            .Order(StringComparer.Ordinal);

        using var template = System.Text.Json.JsonDocument.Parse(BicepCli.BuildMainTemplate().StandardOutput);
        var storage = template.RootElement.GetProperty("resources").EnumerateArray()
            .Single(resource => resource.GetProperty("name").GetString() == "storage");
        var deployed = storage.GetProperty("properties").GetProperty("parameters").GetProperty("tableNames")
            .GetProperty("value").EnumerateArray().Select(name => name.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(app, deployed);
    }
}
