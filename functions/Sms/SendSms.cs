using Azure.Storage.Queues.Models;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Sms;

/// <summary>Sends the SMS of one sms queue message (Base64, as the host expects); throws for a transient failure so the queue retries.</summary>
public sealed class SendSms(SmsSendService sms)
{
    [Function(nameof(SendSms))]
    public Task Run([QueueTrigger(StorageTables.SmsQueueBinding)] QueueMessage message, CancellationToken cancellationToken) =>
        sms.HandleAsync(message.Body.ToString(), message.DequeueCount, cancellationToken);
}
