using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// Every text the store holds: each property (and key) of every row of every table the account
/// lists, and each message of every queue (poison queues too), Base64 bodies decoded and JSON
/// \u escapes read, so a table or queue a later feature adds is scanned without being named here.
/// </summary>
public sealed partial class StoreScan
{
    private readonly List<(string Where, string Text)> _texts = [];

    public IReadOnlyList<string> Tables { get; private set; } = [];

    public IReadOnlyList<string> Queues { get; private set; } = [];

    public static async Task<StoreScan> ReadAsync(string connectionString)
    {
        var scan = new StoreScan();
        var tables = new TableServiceClient(connectionString);
        var tableNames = new List<string>();
        await foreach (var table in tables.QueryAsync())
        {
            tableNames.Add(table.Name);
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                scan.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey} (keys)", row.PartitionKey + "/" + row.RowKey);
                foreach (var (key, value) in row)
                {
                    if (value is not null)
                    {
                        scan.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey}/{key}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    }
                }
            }
        }

        // Raw bodies: the scan decodes Base64 itself, so a message in either encoding is read.
        var queues = new QueueServiceClient(connectionString);
        var queueNames = new List<string>();
        await foreach (var queue in queues.GetQueuesAsync())
        {
            queueNames.Add(queue.Name);
            var client = queues.GetQueueClient(queue.Name);
            var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (count <= 32)
            {
                foreach (var message in (await client.PeekMessagesAsync(32)).Value)
                {
                    scan.AddMessage(queue.Name, message.Body.ToString());
                }

                continue;
            }

            // More than a peek shows: receive them all for a moment (they come back visible), never delete.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var batch = (await client.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(5))).Value;
                if (batch.Length == 0 || batch.All(m => !seen.Add(m.MessageId)))
                {
                    break;
                }

                foreach (var message in batch)
                {
                    scan.AddMessage(queue.Name, message.Body.ToString());
                }
            }
        }

        scan.Tables = tableNames;
        scan.Queues = queueNames;
        return scan;
    }

    private void AddMessage(string queue, string body)
    {
        Add($"queue {queue}", body);
        try
        {
            Add($"queue {queue} (Base64)", Encoding.UTF8.GetString(Convert.FromBase64String(body)));
        }
        catch (FormatException)
        {
        }
    }

    private void Add(string where, string text)
    {
        _texts.Add((where, text));
        var unescaped = JsonEscape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        if (unescaped != text)
        {
            _texts.Add((where + " (unescaped)", unescaped));
        }
    }

    /// <summary>Where the name is stored, exactly or in any case.</summary>
    public IReadOnlyList<string> FindText(string text) =>
        _texts.Where(t => t.Text.Contains(text, StringComparison.OrdinalIgnoreCase)).Select(t => t.Where).Distinct().ToList();

    /// <summary>
    /// Where a Korean mobile number is stored in any form: E.164 (+8210...), 010-1234-5678, digits
    /// only (01012345678, 821012345678), or with any separators (its ten national digits in a row
    /// once the text's non-digits are dropped). A masked form (010-****-5678) does not count.
    /// </summary>
    public IReadOnlyList<string> FindPhone(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        var national = digits.StartsWith("82", StringComparison.Ordinal) ? digits[2..] : digits.TrimStart('0');
        return _texts
            .Where(t => new string(t.Text.Where(char.IsAsciiDigit).ToArray()).Contains(national, StringComparison.Ordinal))
            .Select(t => t.Where).Distinct().ToList();
    }

    [GeneratedRegex(@"\\u([0-9a-fA-F]{4})")]
    private static partial Regex JsonEscape();
}
