using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FestivalReservations.Bench.Load;
using FestivalReservations.Bench.Scenarios;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Bench.Checks;

/// <summary>Reads the tables and the run's sms queue directly (not through the app) and checks a run's outcome.</summary>
public static class StoreChecks
{
    public static async Task<CheckResult> RunAsync(
        string connectionString, string smsQueueName, ScenarioSpec spec, LoadResult load, CancellationToken cancellationToken)
    {
        var tables = new TableServiceClient(connectionString);
        var sessionsTable = tables.GetTableClient("Sessions");
        var sessionIds = spec.Sessions.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
        var stored = new Dictionary<string, (string Session, string Phone, string Status, int Party)>(StringComparer.Ordinal);
        var smsCodes = new HashSet<string>(StringComparer.Ordinal);
        int oversold = 0, duplicates = 0, mismatches = 0, outboxRows = 0, counterSeats = 0;
        foreach (var target in spec.Sessions)
        {
            var rows = new List<TableEntity>();
            await foreach (var row in sessionsTable.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {target.SessionId}"), cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }

            var reserved = SessionEntities.Settled(rows).Reserved;
            counterSeats += reserved;
            var reservations = rows.Where(SessionEntities.IsReservationRow).Select(SessionEntities.ToReservation).ToList();
            var seats = reservations.Where(r => r.HoldsSeats).Sum(r => r.PartySize);
            oversold += Math.Max(0, Math.Max(seats, reserved) - target.Capacity);
            mismatches += seats == reserved ? 0 : 1;
            var active = reservations.Where(r => r.IsActive).ToList();
            duplicates += active.Count - active.Select(r => r.Phone).Distinct().Count();
            var markers = rows.Count(r => r.RowKey.StartsWith(SessionRows.PhoneMarkerPrefix, StringComparison.Ordinal));
            mismatches += markers == active.Count ? 0 : 1;
            foreach (var r in reservations)
            {
                stored[r.Code] = (r.SessionId, r.Phone, r.Status, r.PartySize);
            }

            // One row per transaction: what counts is the SMS it still holds.
            foreach (var outbox in rows.Where(r => r.RowKey.StartsWith(SessionRows.OutboxPrefix, StringComparison.Ordinal)).Select(OutboxRows.FromEntity))
            {
                outboxRows += outbox.Messages.Count;
                smsCodes.UnionWith(outbox.Messages.Select(m => m.ReservationCode));
            }
        }

        var queueMessages = await DrainOurMessagesAsync(connectionString, smsQueueName, sessionIds, smsCodes, cancellationToken);
        var smsLogRows = await SmsLogCodesAsync(tables, stored.Keys, smsCodes, cancellationToken);

        var confirmedByApi = load.Outcomes.Where(o => o.Status == 201 && o.ReservationCode is not null).ToList();
        var lost = confirmedByApi.Count(o => !stored.ContainsKey(o.ReservationCode!));
        duplicates += confirmedByApi.Count - confirmedByApi.Select(o => (o.Attempt.SessionId, o.Attempt.Phone)).Distinct().Count();
        var answered = confirmedByApi.Select(o => o.ReservationCode!).ToHashSet(StringComparer.Ordinal);
        var unanswered = stored.Keys.Count(c => !answered.Contains(c));
        var missingSms = stored.Count(s => s.Value.Status is ReservationStatus.Confirmed or ReservationStatus.Waitlisted
            && !smsCodes.Contains(s.Key));
        var storedSeats = stored.Values.Where(v => v.Status == ReservationStatus.Confirmed).Sum(v => v.Party);
        return new CheckResult(stored.Count, storedSeats, counterSeats, oversold, duplicates, mismatches, lost, unanswered,
            outboxRows, queueMessages, smsLogRows, missingSms,
            spec.ExpectSoldOut ? counterSeats == spec.Capacity && storedSeats == spec.Capacity : null);
    }

    /// <summary>
    /// Takes this run's messages off its sms queue (the run's own), noting their reservation codes;
    /// others (the warm-up's) are made visible again at once. Received messages stay
    /// invisible for an hour: draining a spread run's sixteen thousand takes minutes.
    /// </summary>
    private static async Task<int> DrainOurMessagesAsync(
        string connectionString, string smsQueueName, IReadOnlySet<string> sessionIds, HashSet<string> smsCodes, CancellationToken cancellationToken)
    {
        var queue = new QueueClient(connectionString, smsQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        if (!await queue.ExistsAsync(cancellationToken))
        {
            return 0;
        }

        var ours = 0;
        var foreign = new List<(string Id, string PopReceipt)>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromHours(1), cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var sms = SmsQueueMessage.Read(message.Body.ToString())?.OfType<OutboxMessage>().ToList() ?? [];
                if (sms.Count > 0 && sms.All(m => sessionIds.Contains(m.SessionId)))
                {
                    ours += sms.Count;
                    smsCodes.UnionWith(sms.Select(m => m.ReservationCode));
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
                else
                {
                    foreign.Add((message.MessageId, message.PopReceipt));
                }
            }
        }

        // The warm-up's messages: visible again, as they were.
        foreach (var (id, popReceipt) in foreign)
        {
            await queue.UpdateMessageAsync(id, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
        }

        return ours;
    }

    /// <summary>SmsLog rows (the sender's record, when one ran) that name one of our reservations.</summary>
    private static async Task<int> SmsLogCodesAsync(
        TableServiceClient tables, IEnumerable<string> codes, HashSet<string> smsCodes, CancellationToken cancellationToken)
    {
        var ours = codes.ToHashSet(StringComparer.Ordinal);
        var count = 0;
        try
        {
            await foreach (var row in tables.GetTableClient("SmsLog").QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                if (row.GetString("ReservationCode") is { } code && ours.Contains(code))
                {
                    count++;
                    smsCodes.Add(code);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        return count;
    }
}
