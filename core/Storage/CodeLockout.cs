using FestivalReservations.Core.Abuse;
using Azure.Data.Tables;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// Guessing the phone of a code someone showed at the gate: after
/// <c>RateLimits:FailedLookupsPerCode</c> wrong phones for one code (within
/// <see cref="RateLimitOptions.CodeLockout"/>), look-ups and cancels of that code by phone are
/// refused for <see cref="RateLimitOptions.CodeLockout"/>, from any address and on every instance
/// (the count is a row of the CodeFailures table, partition = the code). Codes nobody holds are
/// counted the same way, so the answers tell nothing about which codes exist.
/// </summary>
public sealed class CodeLockout(
    StorageTables tables, IOptions<RateLimitOptions> options, TimeProvider clock, ILogger<CodeLockout> logger, Telemetry.FestivalTelemetry? telemetry = null)
{
    public const string TableName = "CodeFailures";
    private const string Row = "failures";

    private readonly TableClient _table = tables.CodeFailures;

    /// <summary>A 429 while the code is locked; null when it may be tried.</summary>
    public async Task<DomainError?> RefusalAsync(ReservationCode code, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(code.Value, Row, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value?.GetDateTimeOffset("LockedUntil") is not { } until || until <= clock.GetUtcNow())
        {
            return null;
        }

        var wait = until - clock.GetUtcNow();
        telemetry?.Refused(Telemetry.RateLimit.CodeLockout);
        return new DomainError(ErrorCode.TooManyRequests,
            $"Too many wrong phone numbers for this code; try again in {Math.Ceiling(wait.TotalMinutes)} min.") { RetryAfter = wait };
    }

    /// <summary>Counts one wrong phone (or unknown code); the one that reaches the limit locks the code.</summary>
    public Task RecordFailureAsync(ReservationCode code, CancellationToken cancellationToken) =>
        RowUpdate.RunAsync(_table, code.Value, Row, row =>
        {
            var now = clock.GetUtcNow();
            var lockout = options.Value.CodeLockout;
            var counting = row?.GetDateTimeOffset("Since") is { } s && s > now - lockout;
            var since = counting ? row!.GetDateTimeOffset("Since")!.Value : now;
            var failures = counting ? (row!.GetInt32("Failures") ?? 0) + 1 : 1;
            var locked = failures >= options.Value.FailedLookupsPerCode;
            if (locked)
            {
                logger.LogWarning("Code {Code} locked for {Minutes} min after {Failures} wrong phones", ReservationCode.Display(code.Value), lockout.TotalMinutes, failures);
            }

            return new RowChange<bool>(new TableEntity
            {
                ["Since"] = locked ? now : since,
                ["Failures"] = locked ? 0 : failures,
                ["LockedUntil"] = locked ? now + lockout : row?.GetDateTimeOffset("LockedUntil"),
            }, locked);
        }, cancellationToken);
}
