using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Http;

/// <summary>
/// Runs a function body and turns storage outages into 503 problem details with Retry-After, and
/// anything unexpected into a 500 problem without internals; the request changes nothing either way.
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
    }

    /// <summary>Storage is down (<see cref="StorageFailure"/>), or a session stays contended: both answer 503.</summary>
    public static bool IsStorageTrouble(Exception e) => StorageFailure.IsTransient(e) || e is CommitContentionException;

    public static IActionResult From<T>(Result<T> result, Func<T, IActionResult> ok) =>
        result.IsSuccess ? ok(result.Value) : Problems.For(result.Error);
}
