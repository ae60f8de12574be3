using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Privacy;

/// <summary>What one retention run erased.</summary>
public sealed record RetentionReport(int Sessions, int ReservationsErased, int MarkersDeleted, int IdempotencyRowsDeleted);

/// <summary>
/// Erases personal data that is no longer needed (PIPA): names and phone numbers of reservations
/// Privacy:RetentionDays after their session ended, with the phone markers, and stored first
/// responses of idempotent requests once their 24 hours are over. Counts and statuses stay, so
/// staff reports still add up.
/// </summary>
public sealed class DataRetention(
    CatalogService catalog,
    SessionChanges changes,
    IdempotencyStore idempotencyRows,
    PhoneHasher phoneHasher,
    IOptions<PrivacyOptions> options,
    TimeProvider clock,
    ILogger<DataRetention> logger)
{
    public async Task<RetentionReport> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.Value.RetentionDays);
        var festival = await catalog.GetAsync(cancellationToken);
        int sessionCount = 0, erased = 0, markers = 0;
        foreach (var session in festival.Sessions.Where(s => s.End <= cutoff))
        {
            var (e, m) = await EraseSessionAsync(session.SessionId, cancellationToken);
            sessionCount++;
            erased += e;
            markers += m;
        }

        var idempotency = await idempotencyRows.DeleteCreatedBeforeAsync(now - IdempotencyStore.KeptFor, cancellationToken);
        var report = new RetentionReport(sessionCount, erased, markers, idempotency);
        logger.LogInformation("Retention: erased {Reservations} reservations and {Markers} phone markers in {Sessions} sessions, {Idempotency} stored responses",
            erased, markers, sessionCount, idempotency);
        return report;
    }

    private async Task<(int Erased, int Markers)> EraseSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var result = await changes.RunAsync<(int Reservations, int Markers)>(sessionId, new SessionLoad { AllReservations = true, AllPhoneMarkers = true },
            (session, now) => session.ErasePersonalData(now, phoneHasher.Hash), cancellationToken,
            rest: (session, now) => session.ErasePersonalData(now, phoneHasher.Hash));
        return result.IsSuccess ? result.Value : (0, 0);
    }
}
