using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Http;

/// <summary>
/// Runs a function body and turns storage outages into 503 problem details with Retry-After. Nothing
/// else reaches the host either: an unexpected answer from storage or a bug of ours is logged with
/// its exception and answered 503 with Retry-After too (no internals), since retrying is all a client
/// can do and the write it interrupted is resolved by the next try (Idempotency-Key).
/// </summary>
public static class Api
{
    public static async Task<IActionResult> RunAsync(ILogger logger, string operation, Func<Task<IActionResult>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (IsStorageTrouble(e))
        {
            logger.LogWarning("{Operation} hit a storage problem: {Reason}", operation, e.GetType().Name);
            return Problems.For(ErrorCode.StorageUnavailable, "Storage is briefly unavailable or busy; please retry in a moment.");
        }
        catch (OperationCanceledException)
        {
            return Problems.For(ErrorCode.StorageUnavailable, "The request was cancelled or timed out; please retry.");
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Operation} failed unexpectedly", operation);
            return Problems.For(ErrorCode.StorageUnavailable, "Something went wrong on our side; please retry in a moment.");
        }
    }

    /// <summary>Storage is down (<see cref="StorageFailure"/>), or a session stays contended: both answer 503.</summary>
    public static bool IsStorageTrouble(Exception e) => StorageFailure.IsTransient(e) || e is CommitContentionException;

    public static IActionResult From<T>(Result<T> result, Func<T, IActionResult> ok) =>
        result.IsSuccess ? ok(result.Value) : Problems.For(result.Error);
}
