using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations;

/// <summary>
/// The Codes table: which session holds the reservation with a given code. A code is claimed here
/// before its session's transaction; if that transaction then fails, the orphan points at nothing.
/// </summary>
public sealed class CodeDirectory(StorageTables tables)
{
    private readonly TableClient _codes = tables.Codes;

    public async Task<ReservationCode> ClaimAsync(string sessionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var code = ReservationCode.New();
            try
            {
                await _codes.AddEntityAsync(new TableEntity(code.Value, "") { ["SessionId"] = sessionId }, cancellationToken);
                return code;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // 40 bits make this rare; draw again.
            }
        }
    }

    public async Task<string?> FindSessionAsync(ReservationCode code, CancellationToken cancellationToken)
    {
        var row = await _codes.GetEntityIfExistsAsync<TableEntity>(code.Value, "", cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("SessionId") : null;
    }
}
