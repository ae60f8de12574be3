using FestivalReservations.Core.Staff;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>Every 15 minutes: confirmed reservations of sessions that have ended, never checked in, become no-shows.</summary>
public sealed class MarkNoShows(NoShowMarker marker, ILogger<MarkNoShows> logger)
{
    public const string Schedule = "0 */15 * * * *";

    [Function(nameof(MarkNoShows))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var marked = await marker.MarkEndedSessionsAsync(cancellationToken);
        if (marked > 0)
        {
            logger.LogInformation("Marked {Count} reservations as no-show", marked);
        }
    }
}
