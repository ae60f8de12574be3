namespace FestivalReservations.Core.Catalog;

/// <summary>The festival's four program themes, as the contract spells them.</summary>
public static class Theme
{
    public static readonly IReadOnlyList<string> All = ["art", "play", "health", "relaxation"];

    public static bool IsKnown(string? theme) => theme is not null && All.Contains(theme);
}
