using Azure.Storage.Queues.Models;
using FestivalReservations.Core.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Sms;

/// <summary>
/// The sms queue's poison queue (%Storage:SmsQueueName%-poison: the host resolves each %setting% in
/// a queue name): each SMS the queue gave up on is marked failed, so staff see it and can retry it.
/// </summary>
public sealed class FailPoisonedSms(SmsPoisonHandler poison)
{
    [Function(nameof(FailPoisonedSms))]
    public Task Run([QueueTrigger(SmsPoisonHandler.QueueBinding)] QueueMessage message, CancellationToken cancellationToken) =>
        poison.HandleAsync(message.Body.ToString(), cancellationToken);
}
