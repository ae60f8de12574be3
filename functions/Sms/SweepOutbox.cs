using FestivalReservations.Core.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Sms;

/// <summary>Every minute: outbox records older than a minute (their dispatch after commit never happened) go on the sms queue.</summary>
public sealed class SweepOutbox(OutboxSweeper sweeper)
{
    [Function(nameof(SweepOutbox))]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
