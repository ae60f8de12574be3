using FestivalReservations.Core.Staff;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace FestivalReservations.Functions.Staff;

/// <summary>The attendee list of a session: JSON, or CSV (with BOM, for Excel) when the client accepts text/csv.</summary>
public sealed class ListSessionReservations(AttendeeList attendees, ILogger<ListSessionReservations> logger)
{
    [Function(nameof(ListSessionReservations))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/staff/sessions/{sessionId}/reservations")] HttpRequest request,
        string sessionId,
        CancellationToken cancellationToken) =>
        Api.RunAsync(logger, nameof(ListSessionReservations), async () => Api.From(
            await attendees.ListReservationsAsync(sessionId, cancellationToken),
            list => WantsCsv(request)
                ? new ApiResult(StatusCodes.Status200OK, AttendeeCsv.Write(list), AttendeeCsv.ContentType)
                    .WithHeader(HeaderNames.ContentDisposition, $"attachment; filename=\"{FileName(sessionId)}.csv\"")
                : ApiResult.Ok(list)));

    public static bool WantsCsv(HttpRequest request) =>
        request.Headers.Accept.Any(value => value is not null && value.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    /// <summary>The session id with anything but letters, digits, dot and hyphen dropped (it goes into a header).</summary>
    private static string FileName(string sessionId) =>
        new(sessionId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').Take(100).ToArray());
}
