using FestivalReservations.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Functions.Http;

/// <summary>The one place that turns a domain error into RFC 9457 problem details with the contract's code and status.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    public static int StatusOf(ErrorCode code) => code switch
    {
        ErrorCode.ValidationFailed or ErrorCode.InvalidPhone => StatusCodes.Status400BadRequest,
        ErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCode.NotFound => StatusCodes.Status404NotFound,
        ErrorCode.SessionFull or ErrorCode.DuplicateReservation or ErrorCode.AlreadyCheckedIn or ErrorCode.AlreadyCancelled
            or ErrorCode.NotConfirmed or ErrorCode.CapacityBelowReserved or ErrorCode.SmsNotFailed
            or ErrorCode.PhoneLimitReached or ErrorCode.OverlappingReservation or ErrorCode.DrawNotDue or ErrorCode.WrongSession
            or ErrorCode.PersonalDataErased => StatusCodes.Status409Conflict,
        ErrorCode.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCode.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCode.BookingNotOpen or ErrorCode.BookingClosed or ErrorCode.CancellationClosed
            or ErrorCode.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorCode.StorageUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string Slug(ErrorCode code) => ErrorSlugs.Of(code);

    public static string TitleOf(ErrorCode code) => code switch
    {
        ErrorCode.ValidationFailed => "The request is invalid.",
        ErrorCode.InvalidPhone => "That is not a Korean mobile number.",
        ErrorCode.NotFound => "Not found.",
        ErrorCode.SessionFull => "The session is full.",
        ErrorCode.DuplicateReservation => "This phone already has a reservation for this session.",
        ErrorCode.AlreadyCheckedIn => "Already checked in.",
        ErrorCode.AlreadyCancelled => "Already cancelled.",
        ErrorCode.NotConfirmed => "The reservation is not confirmed.",
        ErrorCode.CapacityBelowReserved => "Capacity cannot go below the seats already taken.",
        ErrorCode.BookingNotOpen => "Booking has not opened yet.",
        ErrorCode.BookingClosed => "Booking has closed.",
        ErrorCode.CancellationClosed => "It is too late to cancel.",
        ErrorCode.IdempotencyKeyReused => "The Idempotency-Key was used with another request.",
        ErrorCode.PayloadTooLarge => "The request body is too large.",
        ErrorCode.UnsupportedMediaType => "The request body must be JSON.",
        ErrorCode.Unauthorized => "Unauthorized.",
        ErrorCode.Forbidden => "Forbidden.",
        ErrorCode.SmsNotFailed => "Only failed messages can be retried.",
        ErrorCode.PersonalDataErased => "This reservation's personal data has been erased.",
        ErrorCode.PhoneLimitReached => "This phone holds the most reservations allowed that day.",
        ErrorCode.OverlappingReservation => "This phone holds a reservation at the same time.",
        ErrorCode.DrawNotDue => "The lottery cannot be drawn yet.",
        ErrorCode.WrongSession => "This reservation is for another session.",
        ErrorCode.TooManyRequests => "Too many requests.",
        ErrorCode.StorageUnavailable => "The service is briefly unavailable.",
        _ => "Unexpected error.",
    };

    public static ApiResult For(DomainError error)
    {
        var status = StatusOf(error.Code);
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"urn:festival-reservations:problem:{Slug(error.Code)}",
            ["title"] = TitleOf(error.Code),
            ["status"] = status,
            ["detail"] = error.Detail,
            ["code"] = Slug(error.Code),
        };
        if (error.Errors is { Count: > 0 } errors)
        {
            body["errors"] = errors;
        }

        foreach (var (name, value) in error.Extensions ?? new Dictionary<string, object?>())
        {
            body[name] = value;
        }

        var result = new ApiResult(status, body, ContentType);
        if (error.RetryAfter is { } retryAfter)
        {
            result.WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests && !result.Headers.ContainsKey("Retry-After"))
        {
            result.WithHeader("Retry-After", "2");
        }

        if (error.Replayed)
        {
            result.WithHeader("Idempotent-Replayed", "true");
        }

        return result;
    }

    public static ApiResult For(ErrorCode code, string detail) => For(new DomainError(code, detail));
}
