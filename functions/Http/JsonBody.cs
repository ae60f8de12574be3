using System.Text.Json;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Functions.Http;

/// <summary>
/// Reads a JSON request body: Content-Type application/json (415 otherwise, a missing one included),
/// at most 16 KiB (<see cref="RequestBody"/>), known fields only, right types. Every route with a JSON
/// body reads it here, so a new route gets the same refusals.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = RequestBody.MaxBytes;
    public const string MediaType = "application/json";

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return RequestBody.TooLarge();
        }

        if (RequestBody.MediaTypeRefusal(request, MediaType) is { } unsupported)
        {
            return unsupported;
        }

        var body = await RequestBody.ReadCappedAsync(request, cancellationToken);
        if (!body.IsSuccess)
        {
            return body.Error;
        }

        if (body.Value.Length == 0)
        {
            return DomainError.Validation("body", "A JSON body is required.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body.Value.Span, JsonPolicies.Contract);
            return value is null ? DomainError.Validation("body", "A JSON object is required.") : value;
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            return DomainError.Validation(field, e.Path is { Length: > 2 } ? "This field has the wrong type or form." : "The body is not valid JSON for this request.");
        }
    }
}
