using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.Registry;

namespace FestivalReservations.Core;

/// <summary>
/// At start: creates the tables and queues, loads the catalog into an empty store, and says how the
/// app is set up (which festival, whether the clock is pinned). Waits for storage as
/// <see cref="StorageRetries.Startup"/> says (a minute by default).
/// </summary>
public sealed class StartupInitializer(
    StorageTables tables,
    CatalogSeeder seeder,
    CatalogSource source,
    TimeProvider clock,
    ResiliencePipelineProvider<string> pipelines,
    ILogger<StartupInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var festival = source.Festival;
        if (clock is PinnedTimeProvider pinned)
        {
            logger.LogWarning("Clock pinned by Festival:Now to {PinnedAt} ({Local} festival time); it runs on from there",
                pinned.PinnedAt.ToString("O"), festival.Time.Format(pinned.PinnedAt));
        }

        await pipelines.GetPipeline(StorageRetries.Startup).ExecuteAsync(async ct =>
        {
            await tables.EnsureCreatedAsync(ct);
            await seeder.SeedAsync(ct);
        }, cancellationToken);

        logger.LogInformation("Serving {FestivalId}: {Programs} programs, {Sessions} sessions on {Dates} dates",
            festival.FestivalId, festival.Programs.Count, festival.Sessions.Count(), festival.Dates.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
