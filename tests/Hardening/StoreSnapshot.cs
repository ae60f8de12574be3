using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace FestivalReservations.Tests.Hardening;

/// <summary>
/// Every row of every table (with its ETag), and every queue's length and the text of its first 32
/// messages (a peek: visibility untouched), as one string to compare.
/// </summary>
public static class StoreSnapshot
{
    /// <param name="connectionString">The storage account.</param>
    /// <param name="except">Tables left out (by name).</param>
    public static async Task<string> TakeAsync(string connectionString, params string[] except)
    {
        var text = new StringBuilder();
        var service = new TableServiceClient(connectionString);
        await foreach (var table in service.QueryAsync())
        {
            if (except.Contains(table.Name))
            {
                continue;
            }

            var client = service.GetTableClient(table.Name);
            var rows = new List<string>();
            await foreach (var row in client.QueryAsync<TableEntity>())
            {
                rows.Add($"{row.PartitionKey}|{row.RowKey}|{row.ETag}|" +
                    string.Join(";", row.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order().Select(k => $"{k}={row[k]}")));
            }

            text.Append(table.Name).Append('\n').AppendJoin('\n', rows.Order(StringComparer.Ordinal)).Append('\n');
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            var client = queues.GetQueueClient(queue.Name);
            var properties = await client.GetPropertiesAsync();
            text.Append($"queue {queue.Name}: {properties.Value.ApproximateMessagesCount}\n");
            foreach (var message in (await client.PeekMessagesAsync(maxMessages: 32)).Value)
            {
                text.Append(message.MessageId).Append('|').Append(message.Body.ToString()).Append('\n');
            }
        }

        return text.ToString();
    }
}
