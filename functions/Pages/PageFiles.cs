using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Localization;

namespace FestivalReservations.Functions.Pages;

/// <summary>
/// The pages' files, read once from wwwroot next to the app (copied to the output by the project).
/// Only the names listed here are ever served, so a request path can never reach another file.
/// The HTML's references to assets get a content hash (<c>/assets/app.js?v=1a2b3c4d</c>), so an
/// asset asked for with its current hash may be cached for a year and a new deployment is seen at once.
/// Each page comes in every language of <see cref="Languages"/>: the same file with its
/// <c>&lt;html lang&gt;</c> set, which the page's script reads as its first language.
/// </summary>
public static class PageFiles
{
    public const string Folder = "wwwroot";

    /// <summary>The two pages: route name → file.</summary>
    public static readonly FrozenDictionary<string, string> Pages = new Dictionary<string, string>
    {
        ["visitor"] = "index.html",
        ["staff"] = "staff.html",
        ["ticket"] = "ticket.html",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The allow-list of assets under /assets/: file → content type.</summary>
    public static readonly FrozenDictionary<string, string> Assets = new Dictionary<string, string>
    {
        ["common.js"] = "text/javascript; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["staff.js"] = "text/javascript; charset=utf-8",
        ["ticket.js"] = "text/javascript; charset=utf-8",
        ["staff-offline.js"] = "text/javascript; charset=utf-8",
        // Vendored from npm at build time (the project copies node_modules/jsqr/dist/jsQR.js): the QR decoder of the staff scanner.
        ["jsqr.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
        ["icon.svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public const string HtmlContentType = "text/html; charset=utf-8";

    private static readonly Lazy<FrozenDictionary<string, PageFile>> Files = new(() => Load(Path.Combine(AppContext.BaseDirectory, Folder)));

    /// <summary>What the pages' files say before a language is set.</summary>
    public const string SourceLanguageAttribute = "<html lang=\"ko\">";

    /// <summary>A page by its route name in <paramref name="language"/> (Korean when unknown), or null.</summary>
    public static PageFile? Page(string name, string language) =>
        Pages.TryGetValue(name, out var file) ? Files.Value[VariantName(file, Languages.OrDefault(language))] : null;

    private static string VariantName(string file, string language) => $"{file}#{language}";

    /// <summary>The staff page's service worker (served at /staff-sw.js, revalidated every time, as browsers do for workers).</summary>
    public const string ServiceWorkerFile = "staff-sw.js";

    public static PageFile ServiceWorker => Files.Value[ServiceWorkerFile];

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

        files[ServiceWorkerFile] = PageFile.Create(ServiceWorkerFile, "text/javascript; charset=utf-8",
            File.ReadAllBytes(Path.Combine(folder, ServiceWorkerFile)));
        foreach (var name in Pages.Values)
        {
            var html = File.ReadAllText(Path.Combine(folder, name), Encoding.UTF8);
            foreach (var asset in files.Values)
            {
                html = html.Replace($"\"/assets/{asset.Name}\"", $"\"/assets/{asset.Name}?v={asset.Version}\"", StringComparison.Ordinal);
            }

            if (!html.Contains(SourceLanguageAttribute, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{name} must start its document with {SourceLanguageAttribute}.");
            }

            foreach (var language in Languages.All)
            {
                var variant = html.Replace(SourceLanguageAttribute, $"<html lang=\"{Languages.Tag(language)}\">", StringComparison.Ordinal);
                files[VariantName(name, language)] = PageFile.Create(name, HtmlContentType, Encoding.UTF8.GetBytes(variant));
            }
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
