using FestivalReservations.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FestivalReservations.Functions.Http;

/// <summary>
/// The two checks every route with a body makes before it parses one: the media type it takes
/// (else 415, also when Content-Type is missing) and a size cap kept while reading, so a body sent
/// chunked, without a Content-Length, is refused after MaxBytes + 1 bytes instead of read whole.
/// </summary>
public static class RequestBody
{
    public const int MaxBytes = 16 * 1024;

    /// <summary>Null when the request's Content-Type is <paramref name="mediaType"/> (any case; charset, if given, UTF-8); else the 415.</summary>
    public static DomainError? MediaTypeRefusal(HttpRequest request, string mediaType)
    {
        var accepted = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
            && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
        return accepted ? null : new DomainError(ErrorCode.UnsupportedMediaType, $"Send the body as {mediaType} (UTF-8), with that Content-Type.");
    }

    /// <summary>The body, at most <see cref="MaxBytes"/>; 413 as soon as it is known to be longer (from Content-Length, or while reading).</summary>
    public static async Task<Result<ReadOnlyMemory<byte>>> ReadCappedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBytes ? TooLarge() : new ReadOnlyMemory<byte>(buffer, 0, length);
    }

    public static DomainError TooLarge() =>
        new(ErrorCode.PayloadTooLarge, $"Request bodies are limited to {MaxBytes / 1024} KiB.");
}
