using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace FestivalReservations.Functions.Pages;

/// <summary>
/// The pages' files, read once from wwwroot next to the app (copied to the output by the project).
/// Only the names listed here are ever served, so a request path can never reach another file.
/// The HTML's references to assets get a content hash (<c>/assets/app.js?v=1a2b3c4d</c>), so an
/// asset asked for with its current hash may be cached for a year and a new deployment is seen at once.
/// </summary>
public static class PageFiles
{
    public const string Folder = "wwwroot";

    /// <summary>The two pages: route name → file.</summary>
    public static readonly FrozenDictionary<string, string> Pages = new Dictionary<string, string>
    {
        ["visitor"] = "index.html",
        ["staff"] = "staff.html",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The allow-list of assets under /assets/: file → content type.</summary>
    public static readonly FrozenDictionary<string, string> Assets = new Dictionary<string, string>
    {
        ["common.js"] = "text/javascript; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["staff.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
        ["icon.svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public const string HtmlContentType = "text/html; charset=utf-8";

    private static readonly Lazy<FrozenDictionary<string, PageFile>> Files = new(() => Load(Path.Combine(AppContext.BaseDirectory, Folder)));

    /// <summary>A page by its route name, or null.</summary>
    public static PageFile? Page(string name) =>
        Pages.TryGetValue(name, out var file) ? Files.Value[file] : null;

    /// <summary>An asset by file name if it is on the allow-list, or null.</summary>
    public static PageFile? Asset(string name) =>
        Assets.ContainsKey(name) ? Files.Value[name] : null;

    /// <summary>Reads every listed file from <paramref name="folder"/> and versions the pages' asset references.</summary>
    public static FrozenDictionary<string, PageFile> Load(string folder)
    {
        var files = new Dictionary<string, PageFile>(StringComparer.Ordinal);
        foreach (var (name, contentType) in Assets)
        {
            files[name] = PageFile.Create(name, contentType, File.ReadAllBytes(Path.Combine(folder, name)));
        }

        foreach (var name in Pages.Values)
        {
            var html = File.ReadAllText(Path.Combine(folder, name), Encoding.UTF8);
            foreach (var asset in files.Values)
            {
                html = html.Replace($"\"/assets/{asset.Name}\"", $"\"/assets/{asset.Name}?v={asset.Version}\"", StringComparison.Ordinal);
            }

            files[name] = PageFile.Create(name, HtmlContentType, Encoding.UTF8.GetBytes(html));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>One file's bytes, content type and content hash (ETag and version).</summary>
public sealed record PageFile(string Name, string ContentType, byte[] Bytes, string Version)
{
    public string ETag => $"\"{Version}\"";

    public bool IsHtml => ContentType.StartsWith("text/html", StringComparison.Ordinal);

    public static PageFile Create(string name, string contentType, byte[] bytes) =>
        new(name, contentType, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
}
