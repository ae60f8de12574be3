namespace FestivalReservations.Core.Errors;

/// <summary>Why a request was refused: a contract code, a sentence for people, and per-field messages for 400s.</summary>
public sealed record DomainError(ErrorCode Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>Extra members for the problem body (e.g. the first checkedInAt of a duplicate scan).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>When to come back (a 429 or 503's Retry-After), when the refusal knows.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>This refusal is the stored first answer to an earlier request with the same Idempotency-Key.</summary>
    public bool Replayed { get; init; }

    public static DomainError Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(ErrorCode.ValidationFailed, "One or more fields are invalid.", errors);

    public static DomainError Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static DomainError NotFound(string what) => new(ErrorCode.NotFound, $"No {what} with that identifier.");
}
