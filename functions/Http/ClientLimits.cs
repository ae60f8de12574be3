using System.Globalization;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Functions.Http;

/// <summary>Applies the per-client rate limits to a request: 429 problem details with Retry-After when over.</summary>
public static class ClientLimits
{
    /// <summary>
    /// The client's address: the last X-Forwarded-For entry (the one Azure's front end appended,
    /// which a client cannot forge), else the connection's remote address.
    /// </summary>
    public static string ClientOf(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            var last = forwarded.Split(',')[^1].Trim();
            if (last.Length is > 0 and <= 64)
            {
                return last;
            }
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    public static ApiResult? Refusal(ClientRateLimiter limiter, LimitedAction action, HttpRequest request)
    {
        if (limiter.Check(action, ClientOf(request)) is not { } wait)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return Problems.For(new DomainError(ErrorCode.TooManyRequests, $"Too many requests from this address; try again in {seconds} s."))
            .WithHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Counts a look-up or cancel that named no reservation of that phone towards the failure budget.</summary>
    public static void NoteOutcome<T>(ClientRateLimiter limiter, HttpRequest request, Result<T> result)
    {
        if (!result.IsSuccess && result.Error.Code == ErrorCode.NotFound)
        {
            limiter.RecordFailedLookup(ClientOf(request));
        }
    }
}
