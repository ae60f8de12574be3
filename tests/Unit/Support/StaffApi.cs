using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Staff;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Functions.Staff;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>
/// The staff functions wired to the real services over the same <see cref="FakeStorage"/> and
/// clock as a <see cref="VisitorApi"/> (so visitors can book and staff see it). Authorization is
/// devhost's (and the Functions host's) job: see the end-to-end tests for 401.
/// </summary>
public sealed class StaffApi : IDisposable
{
    private readonly CommitMetrics _metrics = new();

    public StaffApi(DateTimeOffset? now = null, CatalogDocument? catalog = null)
    {
        Visitors = new VisitorApi(now);
        var file = TestCatalog.WriteFile(catalog ?? TestCatalog.Document());
        var source = new CatalogSource(Options.Create(new FestivalOptions { CatalogFile = file }));
        Catalog = new CatalogService(source, new CatalogStore(Storage.Tables), Clock, NullLogger<CatalogService>.Instance);
        var store = new SessionStore(Storage.Tables);
        var changes = Visitors.Changes;
        var counters = new SessionCounterCache(store, Clock);
        var codes = new CodeDirectory(Storage.Tables);
        Capacity = new CapacityBoard(Catalog, store, Clock);
        Attendees = new AttendeeList(Catalog, store, VisitorApi.Tickets);
        CheckIn = new CheckIn(Catalog, new TicketLocator(Catalog, codes, VisitorApi.Tickets), changes, counters, VisitorApi.Tickets, Clock,
            NullLogger<CheckIn>.Instance);
        Cancellation = new StaffCancellation(Catalog, codes, Visitors.Cancellation, VisitorApi.Tickets);
        Settings = new SessionSettings(Catalog, changes, counters, Clock, NullLogger<SessionSettings>.Instance);
        Updater = new CatalogUpdater(Catalog, new CatalogStore(Storage.Tables), store, changes, counters, NullLogger<CatalogUpdater>.Instance, Clock);
        NoShows = new NoShowMarker(Catalog, store, changes, counters, Clock, NullLogger<NoShowMarker>.Instance);
        Retention = new DataRetention(store, changes, new SessionsByEnd(Storage.Tables), new ErasureRunStore(Storage.Tables),
            [new CodesPersonalData(codes), new SmsLogPersonalData(new SmsLogStore(Storage.Tables))],
            [new IdempotencyPersonalData(new IdempotencyStore(Storage.Tables, Clock))],
            Visitors.Hasher, Options.Create(new PrivacyOptions { PhoneHashKey = VisitorApi.PhoneHashKey }), Clock, NullLogger<DataRetention>.Instance);
    }

    public VisitorApi Visitors { get; }

    public FakeStorage Storage => Visitors.Storage;

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => Visitors.Clock;

    public CatalogService Catalog { get; }

    public CapacityBoard Capacity { get; }

    public AttendeeList Attendees { get; }

    public CheckIn CheckIn { get; }

    public StaffCancellation Cancellation { get; }

    public SessionSettings Settings { get; }

    public CatalogUpdater Updater { get; }

    public NoShowMarker NoShows { get; }

    public DataRetention Retention { get; }

    public void Dispose()
    {
        _metrics.Dispose();
        Visitors.Dispose();
    }

    public SessionState Counter(string sessionId = TestCatalog.SundayParade) => Visitors.Counter(sessionId);

    /// <summary>A visitor books; returns the code.</summary>
    public async Task<string> ReserveAsync(string phone, int partySize = 2, bool joinWaitlist = false, string sessionId = TestCatalog.SundayParade, string name = "김민수")
    {
        var response = await Visitors.CreateAsync(sessionId, VisitorApi.Body(name: name, phone: phone, partySize: partySize, joinWaitlist: joinWaitlist));
        Assert.True(response.Status == 201, response.Body);
        return response.Json.GetProperty("code").GetString()!;
    }

    public Reservation Stored(string code, string sessionId = TestCatalog.SundayParade) =>
        SessionEntities.ToReservation(Storage.Sessions.Reservation(sessionId, code.Replace("-", "", StringComparison.Ordinal))!);

    public Task<ApiResponse> CapacityAsync(string query) =>
        VisitorApi.Send(request =>
        {
            request.QueryString = new QueryString(query);
            return new GetCapacity(Capacity, NullLogger<GetCapacity>.Instance).Run(request, CancellationToken.None);
        }, null, null);

    public Task<ApiResponse> ListAsync(string sessionId, string? accept = null) =>
        VisitorApi.Send(request => new ListSessionReservations(Attendees, NullLogger<ListSessionReservations>.Instance).Run(request, sessionId, CancellationToken.None),
            null, null, accept is null ? null : new Dictionary<string, string> { ["Accept"] = accept });

    public Task<ApiResponse> CheckInAsync(string code) =>
        VisitorApi.Send(request => new CheckInReservation(CheckIn, NullLogger<CheckInReservation>.Instance).Run(request, code, CancellationToken.None),
            "", null);

    public Task<ApiResponse> CancelAsync(string code, string? body, string? contentType = "application/json") =>
        VisitorApi.Send(request => new StaffCancelReservation(Cancellation, NullLogger<StaffCancelReservation>.Instance).Run(request, code, CancellationToken.None),
            body, contentType);

    public Task<ApiResponse> PatchAsync(string sessionId, string? body, long? contentLength = null) =>
        VisitorApi.Send(request => new UpdateSession(Settings, NullLogger<UpdateSession>.Instance).Run(request, sessionId, CancellationToken.None),
            body, "application/json", null, contentLength);

    public Task<ApiResponse> PutCatalogAsync(string? body, long? contentLength = null) =>
        VisitorApi.Send(request => new PutCatalog(Updater, NullLogger<PutCatalog>.Instance).Run(request, CancellationToken.None),
            body, "application/json", null, contentLength);
}
