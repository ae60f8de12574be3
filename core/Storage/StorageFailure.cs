using Azure;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The one answer to "is storage down?": storage refused, timed out or could not be reached, so
/// the same call may well work in a moment. A bug of ours (any other exception) is not.
/// </summary>
public static class StorageFailure
{
    /// <summary>
    /// Every RequestFailedException (the service answered with an error), a network failure or a
    /// timeout. The Azure SDK reports exhausted retries as an AggregateException of each try's
    /// failure, where a network timeout appears as a TaskCanceledException: such an aggregate
    /// counts. A bare cancellation does not, as only its caller can tell whose it was: use
    /// <see cref="IsTransient(Exception, CancellationToken)"/> there.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException or HttpRequestException or TimeoutException => true,
        // HttpClient's own timeout.
        OperationCanceledException { InnerException: TimeoutException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(inner => inner is OperationCanceledException || IsTransient(inner)),
        _ => false,
    };

    /// <summary>
    /// As <see cref="IsTransient(Exception)"/>, and a cancellation while
    /// <paramref name="callerToken"/> is not cancelled is a network timeout too (a call made with
    /// CancellationToken.None is only ever cancelled by one). The caller's own cancellation is not.
    /// </summary>
    public static bool IsTransient(Exception e, CancellationToken callerToken) =>
        IsTransient(e) || (e is OperationCanceledException && !callerToken.IsCancellationRequested);
}
