namespace FestivalReservations.Core.Catalog;

/// <summary>Which festival this app serves, and (for local runs only) a pinned clock.</summary>
public sealed class FestivalOptions
{
    public const string Section = "Festival";

    /// <summary>The catalog JSON loaded into an empty store at start; relative to the app's folder.</summary>
    public string CatalogFile { get; set; } = "catalog/2024-autumn.json";

    /// <summary>
    /// When set (ISO 8601 with offset), the app's clock starts at this moment and runs on from
    /// there. Honoured only when set; production leaves it empty.
    /// </summary>
    public DateTimeOffset? Now { get; set; }

    /// <summary>The longest <see cref="PublicBaseUrl"/> whose ticket links keep every SMS within its budget.</summary>
    public const int MaxPublicBaseUrlLength = 26;

    /// <summary>
    /// The app's public address (scheme and host, no path): SMS carry <c>{PublicBaseUrl}/t/{ticket}</c>,
    /// and ticket QR codes the same link. Keep it short, a custom domain: every character counts against the SMS budget.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>What is wrong with <see cref="PublicBaseUrl"/>, or null.</summary>
    public string? PublicBaseUrlProblem() =>
        !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            ? "Festival:PublicBaseUrl must be an absolute http(s) URL (e.g. https://festa.example.kr)."
            : uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0
                ? "Festival:PublicBaseUrl must be a scheme and host only, without a path, query or fragment."
                : PublicBaseUrl.TrimEnd('/').Length > MaxPublicBaseUrlLength
                    ? $"Festival:PublicBaseUrl must be at most {MaxPublicBaseUrlLength} characters: the ticket link has to fit in an SMS."
                    : null;
}
