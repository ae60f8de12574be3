using FestivalReservations.Core.Abuse;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Reservations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// A booking request's hold on its phone's day, to give back if the session refuses it.
/// <see cref="Created"/>: the request wrote the day's row itself, holding only this session, and
/// that is the row's ETag since; giving it back then deletes the row in one call, if unchanged.
/// </summary>
public sealed record PhoneHoldTicket(string PhoneHash, DateOnly Day, string SessionId, string RequestId, ETag? Created = null);

/// <summary>
/// The per-phone daily cap and the overlap rule (<see cref="PhoneDayRule"/>), held in storage so
/// that every instance agrees: a booking request first adds its session to its phone's day row
/// (guarded by the row's ETag, so twenty requests at once from one phone are decided one after the
/// other), then books; a refusal gives the hold back, a cancellation drops it. A hold left behind
/// by a request that died between the two is not trusted for long: when holds would refuse a
/// booking, those older than <see cref="Grace"/> are checked against their session (does the phone
/// still hold a reservation there?) and dropped if not. A phone's first hold of a day (most of a
/// rush: distinct phones) is one call, the row's insert, and giving it back one more, its delete.
/// </summary>
public sealed class PhoneDayHolds(
    StorageTables tables,
    SessionStore sessions,
    IOptions<ReservationOptions> options,
    TimeProvider clock,
    ILogger<PhoneDayHolds> logger)
{
    /// <summary>How long a hold counts without being checked: longer than a booking request can take.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private readonly TableClient _table = tables.PhoneDays;

    /// <summary>Holds <paramref name="session"/> for the phone, or says why not (phone-limit-reached, overlapping-reservation).</summary>
    public async Task<Result<PhoneHoldTicket>> HoldAsync(string phoneHash, SessionDefinition session, CancellationToken cancellationToken)
    {
        var ticket = new PhoneHoldTicket(phoneHash, session.Date, session.SessionId, Guid.NewGuid().ToString("N"));
        if (await TryFirstHoldAsync(ticket, session, cancellationToken) is { } first)
        {
            return first;
        }

        var max = options.Value.MaxPerPhonePerDay;
        var stale = new HashSet<string>(StringComparer.Ordinal);
        var standing = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var doubted = new List<PhoneHold>();
            var outcome = await RowUpdate.RunAsync<Result<PhoneHoldTicket>?>(_table, PhoneDays.Partition(session.Date, phoneHash), PhoneDays.HoldsPrefix + phoneHash, row =>
            {
                doubted.Clear();
                var stored = Read(row);
                var holds = stored.Where(h => !stale.Contains(h.SessionId)).ToList();
                if (holds.FirstOrDefault(h => h.SessionId == session.SessionId) is { } same)
                {
                    // The same phone asks for the same session again: the session decides (one per phone).
                    return same.Requests.Contains(ticket.RequestId)
                        ? new(null, ticket)
                        : new(Write(holds.Select(h => h == same ? same with { Requests = [.. same.Requests, ticket.RequestId] } : h)), ticket);
                }

                var (refusal, blocking) = PhoneDayRule.Check(holds, session.SessionId, session.Start, session.End, max);
                if (refusal is null)
                {
                    var hold = new PhoneHold(session.SessionId, session.Start, session.End, clock.GetUtcNow(), [ticket.RequestId]);
                    return new(Write([.. holds, hold]), ticket);
                }

                doubted.AddRange(blocking.Where(h => h.HeldAt < clock.GetUtcNow() - Grace && !standing.Contains(h.SessionId)));
                return doubted.Count > 0
                    ? new(null, null)
                    : new(holds.Count < stored.Count ? Write(holds) : null, refusal);
            }, cancellationToken);

            if (outcome is { } decided)
            {
                return decided;
            }

            // Holds old enough to doubt stand in the way: a session that no longer has this phone's
            // reservation loses its hold, the others count; then decide again.
            foreach (var hold in doubted)
            {
                var found = await sessions.FindPhoneMarkersAsync(hold.SessionId, [phoneHash], cancellationToken);
                (found.Count > 0 ? standing : stale).Add(hold.SessionId);
            }

            logger.LogInformation("Checked {Count} old phone holds: {Stale} no longer stand", doubted.Count, stale.Count);
        }
    }

    /// <summary>
    /// The phone's first hold of the day, when it has none: the row is written with this session
    /// alone, without reading it first (one cap and overlap check that cannot refuse). Null when the
    /// row exists (409) or the insert's outcome is unknown: the read-decide-write loop then decides,
    /// and finds this request's hold in the row if the insert landed after all.
    /// </summary>
    private async Task<PhoneHoldTicket?> TryFirstHoldAsync(PhoneHoldTicket ticket, SessionDefinition session, CancellationToken cancellationToken)
    {
        var row = Write([new PhoneHold(session.SessionId, session.Start, session.End, clock.GetUtcNow(), [ticket.RequestId])]);
        row.PartitionKey = PhoneDays.Partition(session.Date, ticket.PhoneHash);
        row.RowKey = PhoneDays.HoldsPrefix + ticket.PhoneHash;
        try
        {
            var added = await _table.AddEntityAsync(row, cancellationToken);
            return ticket with { Created = added.Headers.ETag };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>
    /// A refused booking gives its hold back (the session keeps any other request's): the row it
    /// created is deleted if nobody wrote it since, otherwise this request's hold is taken out of it.
    /// </summary>
    public async Task ReleaseAsync(PhoneHoldTicket ticket, CancellationToken cancellationToken)
    {
        if (ticket.Created is { } created)
        {
            try
            {
                await _table.DeleteEntityAsync(PhoneDays.Partition(ticket.Day, ticket.PhoneHash), PhoneDays.HoldsPrefix + ticket.PhoneHash, created, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Another request of this phone wrote the row since: take out only this hold.
            }
        }

        await ReleaseRequestAsync(ticket, cancellationToken);
    }

    private Task ReleaseRequestAsync(PhoneHoldTicket ticket, CancellationToken cancellationToken) =>
        ChangeAsync(ticket.Day, ticket.PhoneHash, holds => holds
            .Select(h => h.SessionId == ticket.SessionId ? h with { Requests = h.Requests.Where(r => r != ticket.RequestId).ToList() } : h)
            .Where(h => h.Requests.Count > 0), cancellationToken);

    /// <summary>A cancelled (or erased) reservation frees its phone's day of that session.</summary>
    public Task ReleaseSessionAsync(string phoneHash, DateOnly day, string sessionId, CancellationToken cancellationToken) =>
        ChangeAsync(day, phoneHash, holds => holds.Where(h => h.SessionId != sessionId), cancellationToken);

    /// <summary>The sessions a phone holds on a day (for tests and staff questions; no decision relies on a read alone).</summary>
    public async Task<IReadOnlyList<PhoneHold>> ReadAsync(DateOnly day, string phoneHash, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(PhoneDays.Partition(day, phoneHash), PhoneDays.HoldsPrefix + phoneHash,
            cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value) : [];
    }

    private Task ChangeAsync(DateOnly day, string phoneHash, Func<IReadOnlyList<PhoneHold>, IEnumerable<PhoneHold>> change, CancellationToken cancellationToken) =>
        RowUpdate.RunAsync(_table, PhoneDays.Partition(day, phoneHash), PhoneDays.HoldsPrefix + phoneHash, row =>
        {
            var holds = Read(row);
            var next = change(holds).ToList();
            return new RowChange<bool>(row is null || next.SequenceEqual(holds) ? null : Write(next), true);
        }, cancellationToken);

    private static List<PhoneHold> Read(TableEntity? row) =>
        row?.GetString("Holds") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<PhoneHold>>(json, JsonPolicies.Stored) ?? []
            : [];

    private static TableEntity Write(IEnumerable<PhoneHold> holds) => new()
    {
        ["Holds"] = JsonSerializer.Serialize(holds.ToList(), JsonPolicies.Stored),
    };
}
