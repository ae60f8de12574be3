using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Privacy;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The ErasureRuns table: one row per erasure run, in one partition, keyed so that the newest run
/// sorts first (ticks counted down from the end of time). It holds numbers and times only, never a
/// session's people: the staff see what each run did.
/// </summary>
public sealed class ErasureRunStore(StorageTables tables)
{
    public const string Partition = "run";
    public const int MaxListed = 100;
    private readonly TableClient _table = tables.ErasureRuns;

    public static string RowKeyOf(DateTimeOffset startedAt) =>
        (DateTimeOffset.MaxValue.UtcTicks - startedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public async Task SaveAsync(ErasureRun run, CancellationToken cancellationToken) =>
        await _table.UpsertEntityAsync(new TableEntity(Partition, RowKeyOf(run.StartedAt))
        {
            ["RunId"] = run.RunId,
            ["StartedAt"] = run.StartedAt,
            ["FinishedAt"] = run.FinishedAt,
            ["Cutoff"] = run.Cutoff,
            ["Sessions"] = run.Sessions,
            ["SessionsFailed"] = run.SessionsFailed,
            ["SessionsBackfilled"] = run.SessionsBackfilled,
            ["DurationMs"] = run.DurationMs,
            ["Rows"] = JsonSerializer.Serialize(run.Rows, JsonPolicies.Stored),
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>The latest runs, newest first (at most <see cref="MaxListed"/>).</summary>
    public async Task<IReadOnlyList<ErasureRun>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var runs = new List<ErasureRun>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Clamp(limit, 1, MaxListed), cancellationToken: cancellationToken))
        {
            runs.Add(new ErasureRun(
                row.GetString("RunId") ?? "",
                row.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.UnixEpoch,
                row.GetDateTimeOffset("FinishedAt") ?? DateTimeOffset.UnixEpoch,
                row.GetDateTimeOffset("Cutoff") ?? DateTimeOffset.UnixEpoch,
                row.GetInt32("Sessions") ?? 0,
                row.GetInt32("SessionsFailed") ?? 0,
                row.GetInt32("SessionsBackfilled") ?? 0,
                row.GetInt64("DurationMs") ?? 0,
                row.GetString("Rows") is { } json ? JsonSerializer.Deserialize<Dictionary<string, int>>(json, JsonPolicies.Stored) ?? [] : []));
            if (runs.Count >= limit)
            {
                break;
            }
        }

        return runs;
    }
}
