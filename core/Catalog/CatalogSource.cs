using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Catalog;

/// <summary>The catalog file named by Festival:CatalogFile, read and validated once.</summary>
public sealed class CatalogSource(IOptions<FestivalOptions> options)
{
    private readonly Lazy<Festival> _festival = new(() => Load(options.Value.CatalogFile));

    public Festival Festival => _festival.Value;

    public static Festival Load(string catalogFile)
    {
        var path = Path.IsPathRooted(catalogFile) ? catalogFile : Path.Combine(AppContext.BaseDirectory, catalogFile);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Festival:CatalogFile points at '{path}', which does not exist.");
        }

        var result = CatalogReader.Parse(File.ReadAllText(path));
        if (!result.IsSuccess)
        {
            var problems = string.Join("; ", (result.Error.Errors ?? new Dictionary<string, string[]>())
                .SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
            throw new InvalidOperationException($"The catalog file '{path}' is invalid: {problems}");
        }

        return result.Value;
    }
}
