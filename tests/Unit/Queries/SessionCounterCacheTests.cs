using Azure.Data.Tables;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Queries;

/// <summary>
/// The kept session counters: one storage read serves everyone who asks while it is out (a rush asks
/// hundreds of times at once), and a write of this instance is never hidden behind a read from
/// before it.
/// </summary>
public sealed class SessionCounterCacheTests : IDisposable
{
    private const string Session = TestCatalog.SundayParade;
    private readonly VisitorApi _api = new();
    private readonly SessionCounterCache _cache;

    public SessionCounterCacheTests() => _cache = new SessionCounterCache(new SessionStore(_api.Storage.Tables), _api.Clock);

    public void Dispose() => _api.Dispose();

    private int Reads => _api.Storage.Sessions.Mock.Invocations.Count(i => i.Method.Name == nameof(TableClient.GetEntityIfExistsAsync));

    [Fact]
    public async Task GetAsync_FiftyAtOnceWhileNothingIsKept_OneRead()
    {
        var gate = new TaskCompletionSource();
        _api.Storage.Sessions.ReadGate = gate.Task;

        var asks = Enumerable.Range(0, 50).Select(_ => _cache.GetAsync(Session, CancellationToken.None)).ToList();
        gate.SetResult();
        var seen = await Task.WhenAll(asks);

        Assert.Equal(1, Reads);
        Assert.All(seen, s => Assert.Equal(_api.Counter().Reserved, s!.Reserved));
    }

    [Fact]
    public async Task GetAsync_AfterAWriteWhileAReadWasOut_ReadsAgainAndSeesTheWrite()
    {
        var gate = new TaskCompletionSource();
        _api.Storage.Sessions.ReadGate = gate.Task;
        var before = _cache.GetAsync(Session, CancellationToken.None);

        // This instance writes the session while that read is out (it may have read the row already).
        _api.SetCounter(s => s with { Reserved = s.Reserved + 3 });
        _cache.Forget(Session);
        var after = _cache.GetAsync(Session, CancellationToken.None);
        gate.SetResult();

        await before;
        Assert.Equal(_api.Counter().Reserved, (await after)!.Reserved);
        Assert.Equal(2, Reads);
    }

    [Fact]
    public async Task GetAsync_ACallerGivesUp_TheSharedReadGoesOnForTheOthers()
    {
        var gate = new TaskCompletionSource();
        _api.Storage.Sessions.ReadGate = gate.Task;
        using var impatient = new CancellationTokenSource();
        var gaveUp = _cache.GetAsync(Session, impatient.Token);
        var waits = _cache.GetAsync(Session, CancellationToken.None);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        gate.SetResult();

        Assert.NotNull(await waits);
        Assert.Equal(1, Reads);
    }

    [Fact]
    public async Task AVisitorWhoJustBooked_SeesTheirSeatsGoneAtOnce_EvenWithTheCountKept()
    {
        var before = (await _api.Queries.GetSessionAsync(Session, CancellationToken.None)).Value!.Remaining;

        Assert.Equal(201, (await _api.CreateAsync(Session, VisitorApi.Body(partySize: 2))).Status);

        // Same instant: the kept count is fresh, and shows the booking this instance committed.
        Assert.Equal(before - 2, (await _api.Queries.GetSessionAsync(Session, CancellationToken.None)).Value!.Remaining);
    }
}
