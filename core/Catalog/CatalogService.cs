using Microsoft.Extensions.Logging;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Catalog;

/// <summary>
/// The festival as the app serves it: read from the Catalog table and kept in memory for a short
/// while (programs change rarely; seats live in the session counters, never here).
/// </summary>
public sealed class CatalogService(CatalogSource source, CatalogStore store, TimeProvider clock, ILogger<CatalogService> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (Festival Festival, DateTimeOffset LoadedAt)? _cached;

    public string FestivalId => source.Festival.FestivalId;

    public async Task<Festival> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && clock.GetUtcNow() - hit.LoadedAt < CacheFor)
        {
            return hit.Festival;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && clock.GetUtcNow() - again.LoadedAt < CacheFor)
            {
                return again.Festival;
            }

            var document = await store.LoadAsync(FestivalId, cancellationToken);
            var festival = source.Festival;
            if (document is not null)
            {
                var read = CatalogReader.Read(document);
                if (read.IsSuccess)
                {
                    festival = read.Value;
                }
                else
                {
                    logger.LogError("The stored catalog of {FestivalId} is invalid; serving the catalog file", FestivalId);
                }
            }

            _cached = (festival, clock.GetUtcNow());
            return festival;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forget the cached copy (after staff changed the catalog).</summary>
    public void Invalidate() => _cached = null;
}
