using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Tests.Unit.Support;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Tests.Unit.Reservations.Commit;

public sealed class CodeReserveTests
{
    private const string Session = "mask-parade.20240908.1400";
    private readonly FakeStorage _storage = new();
    private readonly CodeReserve _reserve;

    public CodeReserveTests() => _reserve = new CodeReserve(new CodeDirectory(_storage.Tables), Session);

    private IReadOnlyList<TableEntity> Claimed => _storage.Codes.Rows();

    [Fact]
    public async Task TryClaim_EmptyReserve_ClaimsJustTheUsedCodesInOneTransaction()
    {
        var candidates = await _reserve.CandidatesAsync(5);

        Assert.True(await _reserve.TryClaimAsync(candidates.Take(2).ToList(), CancellationToken.None));

        Assert.Single(candidates.Select(c => c.Shelf).Distinct());
        Assert.Equal(candidates.Take(2).Select(c => c.Value).Order(), Claimed.Select(r => r.RowKey).Order());
        Assert.All(Claimed, r => Assert.Equal((candidates[0].Shelf, Session), (r.PartitionKey, r.GetString("SessionId"))));
        Assert.Single(_storage.Codes.Transactions);
        Assert.Equal(0, _reserve.Count);
    }

    [Fact]
    public async Task Candidates_AfterPrefetch_PrefetchedFirst_AndUsingThemWritesNothing()
    {
        _reserve.Prefetch(5);
        var candidates = await _reserve.CandidatesAsync(7);
        var prefetched = Claimed.Select(r => r.RowKey).ToHashSet();

        Assert.Equal(5, prefetched.Count);
        Assert.All(candidates.Take(5), c => Assert.Contains(c.Value, prefetched));
        Assert.DoesNotContain(candidates[5].Value, prefetched);

        Assert.True(await _reserve.TryClaimAsync(candidates.Take(3).ToList(), CancellationToken.None));

        Assert.Equal(5, Claimed.Count);
        Assert.Equal(2, _reserve.Count);
    }

    [Fact]
    public async Task TryClaim_BeyondThePrefetched_ClaimsTheRest()
    {
        _reserve.Prefetch(2);
        var candidates = await _reserve.CandidatesAsync(4);

        Assert.True(await _reserve.TryClaimAsync(candidates, CancellationToken.None));

        Assert.Equal(candidates.Select(c => c.Value).Order(), Claimed.Select(r => r.RowKey).Order());
        Assert.Equal(0, _reserve.Count);
    }

    [Fact]
    public async Task Prefetch_ReserveHoldsEnough_ClaimsNothingMore()
    {
        _reserve.Prefetch(3);
        await _reserve.CandidatesAsync(1);
        _reserve.Prefetch(3);
        _reserve.Prefetch(0);
        await _reserve.CandidatesAsync(1);

        Assert.Equal(3, Claimed.Count);
    }

    [Fact]
    public async Task TryClaim_ANewCodeTakenAlready_FalseAndTheReserveKeepsItsCodes()
    {
        _reserve.Prefetch(1);
        var candidates = await _reserve.CandidatesAsync(3);
        _storage.Codes.FailNextSubmit(new TableTransactionFailedException(new RequestFailedException(409, "The specified entity already exists.")));

        Assert.False(await _reserve.TryClaimAsync(candidates, CancellationToken.None));

        Assert.Equal(1, _reserve.Count);
        Assert.Single(Claimed);
    }

    [Fact]
    public async Task Return_CodesOfATransactionThatDidNotCommit_ComeBackFirst()
    {
        var first = await _reserve.CandidatesAsync(3);
        Assert.True(await _reserve.TryClaimAsync(first, CancellationToken.None));

        _reserve.Return(first);
        var again = await _reserve.CandidatesAsync(4);

        Assert.Equal(first, again.Take(3));
        Assert.True(await _reserve.TryClaimAsync(again.Take(3).ToList(), CancellationToken.None));
        Assert.Equal(3, Claimed.Count);
    }

    [Fact]
    public async Task Release_UnusedCodesDeleted_UsedOnesStay()
    {
        _reserve.Prefetch(4);
        var candidates = await _reserve.CandidatesAsync(1);
        Assert.True(await _reserve.TryClaimAsync(candidates.Take(1).ToList(), CancellationToken.None));

        await _reserve.ReleaseAsync(CancellationToken.None);

        Assert.Equal(candidates[0].Value, Assert.Single(Claimed).RowKey);
        Assert.Equal(0, _reserve.Count);
    }
}
