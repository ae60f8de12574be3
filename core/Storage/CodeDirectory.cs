using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The Codes table: which session holds the reservation with a given code. Rows live on their
/// code's shelf (partition = <see cref="ReservationCode.Shelf"/>, row = the code), so the codes of
/// one commit are claimed in one transaction. A code is claimed just before its session's
/// transaction; if that transaction then fails, the orphan points at nothing.
/// </summary>
public sealed class CodeDirectory(StorageTables tables)
{
    /// <summary>Codes one claim may hold: one entity group transaction.</summary>
    public const int MaxPerClaim = TableLimits.MaxOperationsPerTransaction;

    /// <summary>
    /// The column naming the phone (by hash) whose row in the session holds the code's reservation,
    /// so that a look-up by code alone (staff, SMS) reads that row directly.
    /// </summary>
    public const string PhoneHashColumn = "PhoneHash";

    private readonly TableClient _codes = tables.Codes;

    /// <summary>
    /// Claims <paramref name="codes"/> (all on one shelf) for <paramref name="sessionId"/>, all or
    /// none. False when one of them is taken already (40 bits make that rare): draw new ones.
    /// </summary>
    /// <remarks><paramref name="phoneHash"/>: for a claim of one code whose holder is known already, recorded with it (see <see cref="RecordHoldersAsync"/>).</remarks>
    public async Task<bool> TryClaimAsync(IReadOnlyList<ReservationCode> codes, string sessionId, CancellationToken cancellationToken, string? phoneHash = null)
    {
        if (codes.Count == 0)
        {
            return true;
        }

        OnOneShelf(codes);

        // The claim's own id in its rows: a retried insert whose first try committed (reply lost)
        // meets 409 on our own rows, and a read-back tells the two apart.
        var claimId = Guid.NewGuid().ToString("N");
        try
        {
            if (codes.Count == 1)
            {
                var row = Row(codes[0], sessionId, claimId);
                row[PhoneHashColumn] = phoneHash;
                await _codes.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await _codes.SubmitTransactionAsync(
                    codes.Select(c => new TableTransactionAction(TableTransactionActionType.Add, Row(c, sessionId, claimId))), cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await IsOursAsync(codes[0], claimId, cancellationToken);
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            // Unknown: if the read-back does not find our rows, the claim may still land; its codes
            // are then orphans (harmless) and the caller hears the storage error.
            if (await IsOursAsync(codes[0], claimId, cancellationToken))
            {
                return true;
            }

            throw;
        }
    }

    /// <summary>The claim is all or nothing, so one row tells whether it is this claim's.</summary>
    private async Task<bool> IsOursAsync(ReservationCode code, string claimId, CancellationToken cancellationToken)
    {
        var row = await _codes.GetEntityIfExistsAsync<TableEntity>(code.Shelf, code.Value, ["ClaimId"], cancellationToken);
        return row.HasValue && row.Value!.GetString("ClaimId") == claimId;
    }

    /// <summary>
    /// Records, after the session's transaction, which phone's row holds each code's reservation (one
    /// transaction per shelf). Best effort: a code without it is found by a query of its session.
    /// </summary>
    public async Task RecordHoldersAsync(IReadOnlyList<(ReservationCode Code, string PhoneHash)> holders, CancellationToken cancellationToken)
    {
        foreach (var shelf in holders.GroupBy(h => h.Code.Shelf))
        {
            await _codes.SubmitTransactionAsync(shelf.Select(h => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(h.Code.Shelf, h.Code.Value) { [PhoneHashColumn] = h.PhoneHash }, ETag.All)), cancellationToken);
        }
    }

    /// <summary>
    /// Deletes claimed codes that no reservation took (all on one shelf), best effort: a code left
    /// behind points at no reservation and finds nothing.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyList<ReservationCode> codes, CancellationToken cancellationToken)
    {
        if (codes.Count == 0)
        {
            return;
        }

        OnOneShelf(codes);
        try
        {
            await _codes.SubmitTransactionAsync(codes.Select(c => new TableTransactionAction(
                TableTransactionActionType.Delete, new TableEntity(c.Shelf, c.Value), ETag.All)), cancellationToken);
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            // Left as orphans.
        }
    }

    public async Task<string?> FindSessionAsync(ReservationCode code, CancellationToken cancellationToken)
    {
        var row = await _codes.GetEntityIfExistsAsync<TableEntity>(code.Shelf, code.Value, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("SessionId") : null;
    }

    /// <summary>The session holding a code typed in any accepted form, with the code as stored; null when unknown.</summary>
    public async Task<(string SessionId, string Code)?> LocateAsync(string typed, CancellationToken cancellationToken) =>
        ReservationCode.TryParse(typed, out var code) && await FindSessionAsync(code, cancellationToken) is { } sessionId
            ? (sessionId, code.Value)
            : null;

    /// <summary>
    /// Erasure: the codes' rows keep their session and lose the phone hash that named their holder's
    /// row (their reservations have moved under their codes). Returns how many rows it changed;
    /// unknown codes and rows without a hash are left alone, so it is safe to repeat.
    /// </summary>
    public async Task<int> ForgetHoldersAsync(IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        var cleared = 0;
        foreach (var typed in codes)
        {
            if (!ReservationCode.TryParse(typed, out var code))
            {
                continue;
            }

            var row = await _codes.GetEntityIfExistsAsync<TableEntity>(code.Shelf, code.Value, cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value!.GetString(PhoneHashColumn) is null)
            {
                continue;
            }

            try
            {
                await _codes.UpdateEntityAsync(Row(code, row.Value.GetString("SessionId")), row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                cleared++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Gone, or written meanwhile: the next run looks again.
            }
        }

        return cleared;
    }

    private static void OnOneShelf(IReadOnlyList<ReservationCode> codes)
    {
        if (codes.Count > MaxPerClaim || codes.Any(c => c.Shelf != codes[0].Shelf))
        {
            throw new ArgumentException($"Codes claimed or released together share a shelf and number at most {MaxPerClaim}.", nameof(codes));
        }
    }

    /// <summary>The Codes row of a code (tests and tools seed with it).</summary>
    public static TableEntity Row(ReservationCode code, string sessionId, string? claimId = null) =>
        new(code.Shelf, code.Value) { ["SessionId"] = sessionId, ["ClaimId"] = claimId };
}
