using FestivalReservations.Core.Storage;

namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// Reservation codes already claimed for one session, ahead of the rounds that will use them. While
/// a round's transaction is in flight and drafts are still waiting for seats, the committer claims
/// the next round's codes (<see cref="Prefetch"/>), so that round does not wait for its own claim.
/// Codes a round needs beyond the reserve are claimed in the round (one transaction, one shelf).
/// Only the session's draining leader uses it; whatever is left when the queue retires is released.
/// </summary>
public sealed class CodeReserve(CodeDirectory directory, string sessionId)
{
    private readonly List<ReservationCode> _claimed = [];
    private Task<IReadOnlyList<ReservationCode>>? _prefetch;

    /// <summary>Claimed and unused.</summary>
    public int Count => _claimed.Count;

    /// <summary>Codes for a round of <paramref name="drafts"/>: the claimed ones first, then new ones on one shelf.</summary>
    public async Task<IReadOnlyList<ReservationCode>> CandidatesAsync(int drafts)
    {
        await CollectPrefetchAsync();
        var fresh = ReservationCode.NewOnOneShelf(Math.Max(0, drafts - _claimed.Count));
        return [.. _claimed.Take(drafts), .. fresh];
    }

    /// <summary>
    /// Makes sure every code in <paramref name="used"/> (a prefix of the candidates) is claimed, and
    /// takes them out of the reserve. False when a new one was taken already: draw candidates again.
    /// </summary>
    public async Task<bool> TryClaimAsync(IReadOnlyList<ReservationCode> used, CancellationToken cancellationToken)
    {
        var fromReserve = Math.Min(used.Count, _claimed.Count);
        var missing = used.Skip(fromReserve).ToList();
        if (missing.Count > 0 && !await directory.TryClaimAsync(missing, sessionId, cancellationToken))
        {
            return false;
        }

        _claimed.RemoveRange(0, fromReserve);
        return true;
    }

    /// <summary>
    /// Puts back claimed codes whose transaction is known not to have committed (412, 409), for
    /// the next round. Never codes of a transaction whose outcome is unknown.
    /// </summary>
    public void Return(IReadOnlyList<ReservationCode> unused) => _claimed.InsertRange(0, unused);

    /// <summary>Starts claiming up to <paramref name="count"/> more codes in the background (none if one is in flight).</summary>
    public void Prefetch(int count)
    {
        var wanted = count - _claimed.Count;
        if (_prefetch is not null || wanted <= 0)
        {
            return;
        }

        var codes = ReservationCode.NewOnOneShelf(Math.Min(wanted, CodeDirectory.MaxPerClaim));
        _prefetch = ClaimAsync(codes);
    }

    /// <summary>Gives back the unused codes (best effort; an orphan code points at no reservation and is harmless).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await CollectPrefetchAsync();
        var unused = _claimed.ToList();
        _claimed.Clear();
        foreach (var shelf in unused.GroupBy(c => c.Shelf))
        {
            await directory.ReleaseAsync([.. shelf], cancellationToken);
        }
    }

    private async Task<IReadOnlyList<ReservationCode>> ClaimAsync(IReadOnlyList<ReservationCode> codes)
    {
        try
        {
            return await directory.TryClaimAsync(codes, sessionId, CancellationToken.None) ? codes : [];
        }
        catch (Exception e) when (StorageFailure.IsTransient(e, CancellationToken.None))
        {
            return []; // the round claims its own codes instead
        }
    }

    private async Task CollectPrefetchAsync()
    {
        if (_prefetch is { } pending)
        {
            _prefetch = null;
            _claimed.AddRange(await pending);
        }
    }
}
