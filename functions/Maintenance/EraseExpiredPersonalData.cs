using FestivalReservations.Core.Privacy;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Maintenance;

/// <summary>Daily at 03:00 KST (18:00 UTC): erases names and phones past their retention (Privacy:RetentionDays).</summary>
public sealed class EraseExpiredPersonalData(DataRetention retention)
{
    [Function(nameof(EraseExpiredPersonalData))]
    public Task Run([TimerTrigger("0 0 18 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        retention.EraseExpiredAsync(cancellationToken);
}
