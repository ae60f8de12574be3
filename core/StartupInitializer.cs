using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Core;

/// <summary>
/// At start: creates the tables and queues, loads the catalog into an empty store, and says how the
/// app is set up (which festival, whether the clock is pinned). Waits for storage for up to a minute.
/// </summary>
public sealed class StartupInitializer(
    StorageTables tables,
    CatalogSeeder seeder,
    CatalogSource source,
    TimeProvider clock,
    ILogger<StartupInitializer> logger) : IHostedService
{
    public static readonly TimeSpan StorageWait = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var festival = source.Festival;
        if (clock is PinnedTimeProvider pinned)
        {
            logger.LogWarning("Clock pinned by Festival:Now to {PinnedAt} ({Local} festival time); it runs on from there",
                pinned.PinnedAt.ToString("O"), festival.Time.Format(pinned.PinnedAt));
        }

        var giveUpAt = DateTimeOffset.UtcNow + StorageWait;
        while (true)
        {
            try
            {
                await tables.EnsureCreatedAsync(cancellationToken);
                await seeder.SeedAsync(cancellationToken);
                break;
            }
            catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken) && DateTimeOffset.UtcNow < giveUpAt)
            {
                logger.LogWarning("Storage not reachable yet ({Reason}); retrying", e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }

        logger.LogInformation("Serving {FestivalId}: {Programs} programs, {Sessions} sessions on {Dates} dates",
            festival.FestivalId, festival.Programs.Count, festival.Sessions.Count(), festival.Dates.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
