using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace FestivalReservations.Functions.Pages;

/// <summary>
/// Writes a page file with its content type, caching headers (pages: revalidate every time;
/// assets: a year when asked for with their current version, else five minutes), an ETag that
/// answers 304, and the security headers: a CSP without inline script, nosniff, no referrer,
/// no framing.
/// </summary>
public sealed class PageResult(PageFile file, int status = StatusCodes.Status200OK) : IActionResult
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public PageFile File { get; } = file;

    public static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
        // The staff page scans tickets with the camera (this origin only).
        headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
    }

    public string CacheControlFor(HttpRequest request) =>
        File.IsHtml || File.Name == PageFiles.ServiceWorkerFile ? "no-cache"
        : request.Query["v"] == File.Version ? "public, max-age=31536000, immutable"
        : "public, max-age=300";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        AddSecurityHeaders(response.Headers);
        response.Headers[HeaderNames.CacheControl] = CacheControlFor(request);
        response.Headers[HeaderNames.ETag] = File.ETag;
        if (File.IsHtml)
        {
            // The page's language follows Accept-Language: caches keep one copy per language.
            response.Headers[HeaderNames.Vary] = HeaderNames.AcceptLanguage;
        }

        if (status == StatusCodes.Status200OK && request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() is var t && (t == File.ETag || t == "W/" + File.ETag || t == "*"))))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = status;
        response.ContentType = File.ContentType;
        response.ContentLength = File.Bytes.Length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        await response.Body.WriteAsync(File.Bytes, context.HttpContext.RequestAborted);
    }
}
