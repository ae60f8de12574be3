using System.Text.Json;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Json;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Functions.Http;

/// <summary>Reads a JSON request body: at most 16 KiB, JSON content type, known fields only, right types.</summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        if (request.ContentType is { Length: > 0 } contentType
            && !contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new DomainError(ErrorCode.UnsupportedMediaType, "Send the body as application/json.");
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            return TooLarge();
        }

        if (length == 0)
        {
            return DomainError.Validation("body", "A JSON body is required.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), JsonPolicies.Contract);
            return value is null ? DomainError.Validation("body", "A JSON object is required.") : value;
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            return DomainError.Validation(field, e.Path is { Length: > 2 } ? "This field has the wrong type or form." : "The body is not valid JSON for this request.");
        }
    }

    private static DomainError TooLarge() =>
        new(ErrorCode.PayloadTooLarge, $"Request bodies are limited to {MaxBytes / 1024} KiB.");
}
