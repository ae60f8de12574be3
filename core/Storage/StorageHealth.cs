
namespace FestivalReservations.Core.Storage;

/// <summary>Is storage reachable right now? One cheap read with a short deadline.</summary>
public sealed class StorageHealth(StorageTables tables)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            await tables.Catalog.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", ["PartitionKey"], timeout.Token);
            return true;
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            return false;
        }
    }
}
