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
}
