using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>A response executed into a DefaultHttpContext.</summary>
public sealed record ApiResponse(int Status, string? ContentType, IHeaderDictionary Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Code => Json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public string Header(string name) => Headers[name].ToString();
}

/// <summary>
/// The visitor functions wired to the real services over <see cref="FakeStorage"/> (mocked Azure
/// clients), the test catalog, and a fake clock. Every session of the catalog has its counter.
/// </summary>
public sealed class VisitorApi : IDisposable
{
    public const string PhoneHashKey = "unit-tests-phone-hash-key-0123456789abcdef";

    /// <summary>The ticket signer of unit tests: key id 1 is current.</summary>
    public static readonly TicketSigner Tickets = new(
        Options.Create(new TicketOptions { SigningKeys = "1:unit-tests-ticket-signing-key-0123456789abcdef", CurrentKeyId = "1" }),
        Options.Create(new FestivalOptions { PublicBaseUrl = "https://festa.example.kr" }));
    private static readonly Lazy<string> CatalogFile = new(() => TestCatalog.WriteFile(TestCatalog.Document()));
    private readonly CommitMetrics _metrics = new();

    public VisitorApi(DateTimeOffset? now = null)
    {
        Clock = Clocks.At(now ?? Sessions.DuringBooking);
        var source = new CatalogSource(Options.Create(new FestivalOptions { CatalogFile = CatalogFile.Value }));
        var catalog = new CatalogService(source, new CatalogStore(Storage.Tables), Clock, NullLogger<CatalogService>.Instance);
        var store = new SessionStore(Storage.Tables);
        var options = Options.Create(new ReservationOptions { MaxCommitAttempts = 3 });
        var dispatcher = new OutboxDispatcher(Storage.Tables, NullLogger<OutboxDispatcher>.Instance);
        var counters = new SessionCounterCache(store, Clock);
        var committer = new SingleCommitter(store, new CodeDirectory(Storage.Tables), Clock, options, _metrics, counters, NullLogger<SingleCommitter>.Instance);
        Changes = new SessionChanges(store, Clock, options, _metrics, dispatcher);
        Hasher = new PhoneHasher(Options.Create(new PrivacyOptions { PhoneHashKey = PhoneHashKey }));
        Lockout = new CodeLockout(Storage.Tables, Options.Create(new RateLimitOptions()), Clock, NullLogger<CodeLockout>.Instance);
        var owned = new OwnedReservations(catalog, new CodeDirectory(Storage.Tables), store, Hasher, Lockout, Tickets);
        PhoneDays = new PhoneDayHolds(Storage.Tables, store, options, Clock, NullLogger<PhoneDayHolds>.Instance);
        Reservations = new IdempotentReserve(
            new ReserveSeats(catalog, committer, Hasher, dispatcher, PhoneDays, Clock, NullLogger<ReserveSeats>.Instance, Tickets, counters),
            owned, new IdempotencyStore(Storage.Tables, Clock), NullLogger<IdempotentReserve>.Instance);
        Lookup = new ReservationLookup(owned, store, Tickets);
        Cancellation = new Cancellation(Changes, Hasher, counters, PhoneDays, NullLogger<Cancellation>.Instance);
        VisitorCancellation = new VisitorCancellation(owned, Cancellation, Tickets);
        Queries = new FestivalQueries(catalog, counters, Clock);
        Festival = source.Festival;
        foreach (var session in Festival.Sessions)
        {
            Storage.Sessions.Seed(SessionEntities.ToEntity(CatalogSeeder.NewCounter(session)));
        }
    }

    public FakeStorage Storage { get; } = new();

    public PhoneDayHolds PhoneDays { get; }

    public CodeLockout Lockout { get; }

    public FakeTimeProvider Clock { get; }

    public Festival Festival { get; }

    public PhoneHasher Hasher { get; }

    public IdempotentReserve Reservations { get; }

    public ReservationLookup Lookup { get; }

    /// <summary>The one cancellation, shared with the staff routes of a <see cref="StaffApi"/>.</summary>
    public Cancellation Cancellation { get; }

    public VisitorCancellation VisitorCancellation { get; }

    public SessionChanges Changes { get; }

    public FestivalQueries Queries { get; }

    public void Dispose() => _metrics.Dispose();

    public static string Body(string name = "김민수", string phone = "010-1234-5678", int partySize = 2, string? language = null, bool? joinWaitlist = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = name, ["phone"] = phone, ["partySize"] = partySize };
        if (language is not null)
        {
            body["language"] = language;
        }

        if (joinWaitlist is not null)
        {
            body["joinWaitlist"] = joinWaitlist;
        }

        return JsonSerializer.Serialize(body);
    }

    public static string PhoneBody(string phone) => JsonSerializer.Serialize(new { phone });

    public SessionState Counter(string sessionId = TestCatalog.SundayParade) =>
        SessionEntities.ToSession(Storage.Sessions.Get(sessionId, SessionRows.Counter)!);

    public void SetCounter(Func<SessionState, SessionState> change, string sessionId = TestCatalog.SundayParade) =>
        Storage.Sessions.Seed(SessionEntities.ToEntity(change(Counter(sessionId))));

    /// <summary>Puts a reservation straight into storage (its row, code and phone marker), as an earlier commit would have.</summary>
    public void SeedReservation(Reservation reservation)
    {
        Storage.Sessions.Seed(SessionEntities.ToEntity(reservation));
        Storage.Sessions.Seed(SessionEntities.PhoneMarker(reservation.SessionId, Hasher.Hash(reservation.Phone), reservation.Code));
        Storage.Codes.Seed(CodeDirectory.Row(ReservationCode.Parse(reservation.Code), reservation.SessionId));
    }

    public int Commits => Storage.Sessions.Transactions.Count;

    /// <summary>The per-client limits the routes apply; generous unless a test sets small ones.</summary>
    public ClientRateLimiter Limiter { get; set; } = new InMemoryBudgetLedger().Limiter(new RateLimitOptions
    {
        ReservationsPerMinute = 10_000,
        LookupsPerMinute = 10_000,
        FailedLookupsPerHour = 10_000,
    });

    public void VerifySubmitted(Times times) =>
        Storage.Sessions.Mock.Verify(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()), times);

    public Task<ApiResponse> CreateAsync(string sessionId, string? body, string? contentType = "application/json",
        IDictionary<string, string>? headers = null, long? contentLength = null) =>
        Send(request => new CreateReservation(Reservations, Limiter, NullLogger<CreateReservation>.Instance).Run(request, sessionId, CancellationToken.None),
            body, contentType, headers, contentLength);

    public Task<ApiResponse> LookupAsync(string code, string? body, string? contentType = "application/json", long? contentLength = null,
        IDictionary<string, string>? headers = null) =>
        Send(request => new LookupReservation(Lookup, Limiter, NullLogger<LookupReservation>.Instance).Run(request, code, CancellationToken.None),
            body, contentType, headers, contentLength);

    public Task<ApiResponse> CancelAsync(string code, string? body, string? contentType = "application/json", long? contentLength = null) =>
        Send(request => new CancelReservation(VisitorCancellation, Limiter, NullLogger<CancelReservation>.Instance).Run(request, code, CancellationToken.None),
            body, contentType, null, contentLength);

    public Task<ApiResponse> GetSessionAsync(string sessionId) =>
        Send(request => new GetSession(Queries, NullLogger<GetSession>.Instance).Run(request, sessionId, CancellationToken.None), null, null);

    public Task<ApiResponse> ListProgramsAsync(string query) =>
        Send(request =>
        {
            request.QueryString = new QueryString(query);
            return new ListPrograms(Queries, NullLogger<ListPrograms>.Instance).Run(request, CancellationToken.None);
        }, null, null);

    /// <summary>Runs a function on a DefaultHttpContext request and executes its result into a fresh response.</summary>
    public static async Task<ApiResponse> Send(Func<HttpRequest, Task<IActionResult>> function, string? body, string? contentType,
        IDictionary<string, string>? headers = null, long? contentLength = null)
    {
        var requestContext = new DefaultHttpContext();
        var request = requestContext.Request;
        request.Method = body is null ? "GET" : "POST";
        var bytes = Encoding.UTF8.GetBytes(body ?? "");
        request.Body = new MemoryStream(bytes);
        request.ContentType = contentType;
        request.ContentLength = contentLength;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers[name] = value;
        }

        var result = await function(request);

        var responseContext = new DefaultHttpContext();
        var stream = new MemoryStream();
        responseContext.Response.Body = stream;
        await result.ExecuteResultAsync(new ActionContext(responseContext, new RouteData(), new ActionDescriptor()));
        var response = responseContext.Response;
        return new ApiResponse(response.StatusCode, response.ContentType, response.Headers, Encoding.UTF8.GetString(stream.ToArray()));
    }
}
