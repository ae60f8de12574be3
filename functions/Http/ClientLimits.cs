using System.Globalization;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Functions.Http;

/// <summary>Applies the per-client rate limits to a request: 429 problem details with Retry-After when over.</summary>
public static class ClientLimits
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>
    /// The client's key: the X-Forwarded-For entry the nearest trusted proxy appended, as far as
    /// RateLimits:TrustedProxyHops trusts the header (0: not at all), else the connection's address;
    /// IPv4 as is, IPv6 by its /64 (<see cref="ClientAddress"/>).
    /// </summary>
    public static string ClientOf(HttpRequest request, int trustedHops) =>
        ClientAddress.KeyOf(ClientAddress.Pick(request.Headers[ForwardedForHeader], request.HttpContext.Connection.RemoteIpAddress, trustedHops));

    public static async Task<ApiResult?> RefusalAsync(ClientRateLimiter limiter, LimitedAction action, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await limiter.CheckAsync(action, ClientOf(request, limiter.TrustedProxyHops), cancellationToken) is not { } wait)
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
            limiter.RecordFailedLookup(ClientOf(request, limiter.TrustedProxyHops));
        }
    }
}
