using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core.Catalog;

/// <summary>
/// Loads the catalog file into an empty store. Idempotent: a store that already holds the festival is
/// left alone, and a half-finished load (a crash midway) is completed by the next start, because the
/// festival row is written last and existing session counters are never overwritten.
/// </summary>
public sealed class CatalogSeeder(CatalogSource source, CatalogStore catalog, SessionStore sessions, ILogger<CatalogSeeder> logger)
{
    public async Task<bool> SeedAsync(CancellationToken cancellationToken)
    {
        var festival = source.Festival;
        if (await catalog.ExistsAsync(festival.FestivalId, cancellationToken))
        {
            logger.LogInformation("Catalog {FestivalId} already loaded", festival.FestivalId);
            return false;
        }

        var created = 0;
        foreach (var session in festival.Sessions)
        {
            if (await sessions.TryCreateAsync(NewCounter(session), cancellationToken))
            {
                created++;
            }
        }

        foreach (var program in festival.Document.Programs)
        {
            await catalog.SaveProgramAsync(festival.FestivalId, program, cancellationToken);
        }

        await catalog.SaveFestivalAsync(festival.Document, cancellationToken);
        logger.LogInformation("Loaded catalog {FestivalId}: {Programs} programs, {Sessions} new sessions",
            festival.FestivalId, festival.Programs.Count, created);
        return true;
    }

    public static SessionState NewCounter(SessionDefinition s) => new()
    {
        SessionId = s.SessionId,
        ProgramId = s.ProgramId,
        Date = s.Date,
        Start = s.Start,
        End = s.End,
        BookingOpensAt = s.BookingOpensAt,
        Capacity = s.Capacity,
        // A lottery's seed is drawn with its counter, before any entry: its hash is the commitment.
        Lottery = s.Lottery is { } window ? new Lotteries.LotteryState { Window = window, Seed = Lotteries.LotterySeed.New() } : null,
    };
}
