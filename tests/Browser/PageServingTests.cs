using System.Net;
using System.Text.RegularExpressions;
using FestivalReservations.Functions.Pages;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.Browser;

/// <summary>How the functions app serves the pages (through devhost, over HTTP).</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class PageServingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningApp? _app;

    private HttpClient Client => _app!.Client;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync(azurite);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [GeneratedRegex("(?:src|href)=\"(/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();

    [Theory]
    [InlineData("/", "차 없는 잠수교")]
    [InlineData("/staff", "스태프 보드")]
    public async Task Pages_are_html_that_is_revalidated_and_locked_down(string path, string text)
    {
        using var response = await Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(text, html);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        AssertSecurityHeaders(response);
        Assert.Contains("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;", Header(response, "Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task The_pages_reference_only_versioned_allow_listed_assets_and_carry_no_inline_script_or_style()
    {
        foreach (var path in new[] { "/", "/staff" })
        {
            var html = await Client.GetStringAsync(path);
            var references = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(references);
            foreach (var reference in references)
            {
                var name = reference["/assets/".Length..].Split('?')[0];
                Assert.True(PageFiles.Assets.ContainsKey(name), $"{path} references {reference}, which is not served");
                Assert.Matches("\\?v=[0-9a-f]{12}$", reference);
            }

            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
            Assert.DoesNotMatch("<style", html);
            Assert.DoesNotMatch("\\sstyle=", html);
            Assert.DoesNotMatch("\\son[a-z]+=", html);
            Assert.DoesNotMatch("https?://", html);
        }
    }

    [Theory]
    [InlineData("common.js", "text/javascript; charset=utf-8")]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("staff.js", "text/javascript; charset=utf-8")]
    [InlineData("style.css", "text/css; charset=utf-8")]
    [InlineData("icon.svg", "image/svg+xml")]
    public async Task Assets_have_their_content_type_and_are_cached_by_version(string name, string contentType)
    {
        var html = await Client.GetStringAsync(name == "staff.js" ? "/staff" : "/");
        var versioned = AssetReference().Matches(html).Select(m => m.Groups[1].Value).Single(r => r.StartsWith($"/assets/{name}?", StringComparison.Ordinal));

        using var current = await Client.GetAsync(versioned);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(contentType, current.Content.Headers.ContentType?.ToString());
        Assert.Equal("public, max-age=31536000, immutable", current.Headers.CacheControl?.ToString());
        AssertSecurityHeaders(current);

        using var unversioned = await Client.GetAsync($"/assets/{name}");
        Assert.Equal(HttpStatusCode.OK, unversioned.StatusCode);
        Assert.Equal("public, max-age=300", unversioned.Headers.CacheControl?.ToString());

        // A revalidation with the ETag costs no body.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/assets/{name}");
        request.Headers.TryAddWithoutValidation("If-None-Match", unversioned.Headers.ETag!.ToString());
        using var notModified = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/assets/host.json")]
    [InlineData("/assets/index.html")]
    [InlineData("/assets/..%2Fhost.json")]
    [InlineData("/assets/%2E%2E%2Fcatalog%2F2024-autumn.json")]
    [InlineData("/assets/..%5Chost.json")]
    [InlineData("/assets/APP.JS")]
    [InlineData("/assets/")]
    [InlineData("/index.html")]
    [InlineData("/wwwroot/app.js")]
    [InlineData("/staff/x")]
    public async Task Nothing_outside_the_allow_list_is_served(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("jamsugyo-2024-autumn", body);
        Assert.DoesNotContain("routePrefix", body);
    }

    [Fact]
    public async Task The_root_page_leaves_the_api_routes_alone()
    {
        using var festival = await Client.GetAsync("/api/festival");
        Assert.Equal(HttpStatusCode.OK, festival.StatusCode);
        Assert.StartsWith("application/json", festival.Content.Headers.ContentType?.MediaType);

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(PageResult.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }
}
