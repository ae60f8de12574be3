using FestivalReservations.Core.Catalog;

namespace FestivalReservations.Bench.Model;

/// <summary>One festival Sunday of a catalog: its sessions' capacities (booking for all of them opens at the same minute).</summary>
public sealed record FestivalSunday(DateOnly Date, IReadOnlyList<int> Capacities)
{
    public int Sessions => Capacities.Count;

    public int Seats => Capacities.Sum();

    public int Largest => Capacities.DefaultIfEmpty(0).Max();

    /// <summary>The Sundays of <paramref name="festival"/>, in date order.</summary>
    public static IReadOnlyList<FestivalSunday> Of(Festival festival) =>
        [.. festival.Sessions.GroupBy(s => s.Date).OrderBy(g => g.Key)
            .Select(g => new FestivalSunday(g.Key, [.. g.Select(s => s.Capacity).OrderDescending()]))];

    /// <summary>The catalog file read and validated as the app reads it.</summary>
    public static Festival Read(string catalogFile)
    {
        var festival = CatalogReader.Parse(File.ReadAllText(catalogFile));
        return festival.IsSuccess ? festival.Value : throw new InvalidOperationException($"{catalogFile}: {festival.Error.Detail}");
    }
}
