using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.Pages;

/// <summary>
/// The visitor page at <c>/</c>, the staff page at <c>/staff</c> and their assets at
/// <c>/assets/{file}</c> (allow-listed names only). The pages are anonymous: the staff page asks
/// for the key itself and sends it to the staff API.
/// </summary>
public sealed class PageFunctions(TicketLocator tickets, ClientRateLimiter limiter)
{
    /// <summary>
    /// The site root. The Functions host will not match an empty route, so this is an optional
    /// segment that must be empty: it matches <c>/</c> and nothing else.
    /// </summary>
    public const string RootRoute = "{root:maxlength(0)?}";

    [Function("VisitorPage")]
    public IActionResult Visitor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = RootRoute)] HttpRequest request) =>
        Serve(PageFiles.Page("visitor", LanguageOf(request)));

    [Function("StaffPage")]
    public IActionResult Staff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "staff")] HttpRequest request) =>
        Serve(PageFiles.Page("staff", LanguageOf(request)));

    /// <summary>
    /// The ticket page: what a visitor shows at the gate. Its script reads the ticket from the path;
    /// a ticket that does not verify gets the same page with 404 (which then says so).
    /// </summary>
    [Function("TicketPage")]
    public async Task<IActionResult> Ticket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "t/{ticket}")] HttpRequest request,
        string ticket,
        CancellationToken cancellationToken)
    {
        var page = PageFiles.Page("ticket", LanguageOf(request));
        if (page is null)
        {
            return Serve(null);
        }

        // A ticket is a credential: guesses count against the address like failed look-ups.
        if (ClientLimits.Refusal(limiter, LimitedAction.Lookup, request) is { } tooMany)
        {
            return tooMany;
        }

        var found = await tickets.LocateTicketAsync(ticket, cancellationToken) is not null;
        if (!found)
        {
            limiter.RecordFailedLookup(ClientLimits.ClientOf(request));
        }

        return new PageResult(page, found ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// The staff page's service worker. It lives at the root, not under /assets/, so that its scope
    /// covers /staff: it keeps the page and its assets for a tablet that loses the network.
    /// </summary>
    [Function("StaffServiceWorker")]
    public IActionResult StaffServiceWorker(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "staff-sw.js")] HttpRequest request) =>
        Serve(PageFiles.ServiceWorker);

    [Function("PageAsset")]
    public IActionResult Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "assets/{file}")] HttpRequest request,
        string file) =>
        Serve(PageFiles.Asset(file));

    /// <summary>The page's first language: <c>?lang=</c> when it names one of ours, else the browser's Accept-Language.</summary>
    public static string LanguageOf(HttpRequest request) =>
        request.Query["lang"].ToString() is var asked && Languages.IsKnown(asked)
            ? asked
            : Languages.FromAcceptLanguage(request.Headers.AcceptLanguage.ToString());

    private static IActionResult Serve(PageFile? file) =>
        file is null ? Problems.For(ErrorCode.NotFound, "There is no such page or file.") : new PageResult(file);
}
