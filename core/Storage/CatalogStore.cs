using System.Text.Json;
using Azure.Data.Tables;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Catalog;

namespace FestivalReservations.Core.Storage;

/// <summary>The catalog in Table Storage: one row for the festival, one per program, under the festival's partition.</summary>
public sealed class CatalogStore(StorageTables tables)
{
    /// <summary>Sorts after every program id (kebab-case slugs), so it is written last when seeding.</summary>
    public const string FestivalRow = "~festival";

    private readonly TableClient _catalog = tables.Catalog;

    public async Task<CatalogDocument?> LoadAsync(string festivalId, CancellationToken cancellationToken)
    {
        CatalogDocument? festival = null;
        var programs = new List<ProgramDocument>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {festivalId}");
        await foreach (var row in _catalog.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var json = row.GetString("Json");
            if (row.RowKey == FestivalRow)
            {
                festival = JsonSerializer.Deserialize<CatalogDocument>(json, JsonPolicies.Stored);
            }
            else
            {
                programs.Add(JsonSerializer.Deserialize<ProgramDocument>(json, JsonPolicies.Stored)!);
            }
        }

        return festival is null ? null : festival with { Programs = programs.OrderBy(p => p.ProgramId, StringComparer.Ordinal).ToList() };
    }

    public async Task<bool> ExistsAsync(string festivalId, CancellationToken cancellationToken)
    {
        var row = await _catalog.GetEntityIfExistsAsync<TableEntity>(festivalId, FestivalRow, ["PartitionKey"], cancellationToken);
        return row.HasValue;
    }

    public async Task SaveProgramAsync(string festivalId, ProgramDocument program, CancellationToken cancellationToken) =>
        await _catalog.UpsertEntityAsync(Row(festivalId, program.ProgramId, program), TableUpdateMode.Replace, cancellationToken);

    /// <summary>The festival row without its programs; written after them, it marks the catalog as loaded.</summary>
    public async Task SaveFestivalAsync(CatalogDocument document, CancellationToken cancellationToken) =>
        await _catalog.UpsertEntityAsync(Row(document.FestivalId, FestivalRow, document with { Programs = [] }),
            TableUpdateMode.Replace, cancellationToken);

    private static TableEntity Row<T>(string festivalId, string rowKey, T value) =>
        new(festivalId, rowKey) { ["Json"] = JsonSerializer.Serialize(value, JsonPolicies.Stored) };
}
