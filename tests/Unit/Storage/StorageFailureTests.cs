using Azure;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using FestivalReservations.Functions.Http;

namespace FestivalReservations.Tests.Unit.Storage;

public sealed class StorageFailureTests
{
    /// <summary>What the Azure SDK throws when every try hit its network timeout.</summary>
    private static AggregateException RetriesTimedOut() => new("Retry failed after 4 tries.", Enumerable.Range(0, 4)
        .Select(_ => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10.")));

    private static readonly Dictionary<string, Exception> Transients = new()
    {
        ["503"] = new RequestFailedException(503, "Server Busy"),
        ["404"] = new RequestFailedException(404, "Not Found"),
        ["network"] = new HttpRequestException("Connection refused"),
        ["timeout"] = new TimeoutException(),
        ["HttpClient timeout"] = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()),
        ["retries timed out"] = RetriesTimedOut(),
        ["retries failed"] = new AggregateException(new RequestFailedException(500, "x"), new HttpRequestException()),
        ["nested aggregate"] = new AggregateException(new AggregateException(new HttpRequestException())),
    };

    private static readonly Dictionary<string, Exception> Others = new()
    {
        ["bug"] = new InvalidOperationException(),
        ["null"] = new NullReferenceException(),
        ["argument"] = new ArgumentException("codes"),
        ["empty aggregate"] = new AggregateException(),
        ["aggregate of a bug"] = new AggregateException(new InvalidOperationException()),
        ["aggregate with a bug"] = new AggregateException(new HttpRequestException(), new InvalidOperationException()),
        ["contention"] = new CommitContentionException("mask-parade.20240908.1400", 3),
    };

    public static TheoryData<string> TransientCases => [.. Transients.Keys];

    public static TheoryData<string> OtherCases => [.. Others.Keys];

    [Theory]
    [MemberData(nameof(TransientCases))]
    public void IsTransient_StorageRefusedUnreachableOrTimedOut_True(string failure)
    {
        Assert.True(StorageFailure.IsTransient(Transients[failure]));
        Assert.True(StorageFailure.IsTransient(Transients[failure], CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(OtherCases))]
    public void IsTransient_AnythingElse_False(string failure)
    {
        Assert.False(StorageFailure.IsTransient(Others[failure]));
        Assert.False(StorageFailure.IsTransient(Others[failure], CancellationToken.None));
    }

    [Fact]
    public void IsTransient_BareCancellationWithoutCallerToken_FalseAsWhoseItIsUnknown()
    {
        Assert.False(StorageFailure.IsTransient(new TaskCanceledException()));
        Assert.False(StorageFailure.IsTransient(new OperationCanceledException()));
    }

    [Fact]
    public void IsTransient_CancellationWhileCallerTokenNotCancelled_TrueAsANetworkTimeout()
    {
        using var caller = new CancellationTokenSource();

        Assert.True(StorageFailure.IsTransient(new TaskCanceledException("exceeded the configured timeout"), caller.Token));
        Assert.True(StorageFailure.IsTransient(new OperationCanceledException(), CancellationToken.None));
    }

    [Fact]
    public void IsTransient_CallersOwnCancellation_False()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        Assert.False(StorageFailure.IsTransient(new OperationCanceledException(caller.Token), caller.Token));
        Assert.False(StorageFailure.IsTransient(new TaskCanceledException(), caller.Token));
    }

    [Fact]
    public void IsTransient_StorageFailureWhileCallerCancelled_StillTrue()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        Assert.True(StorageFailure.IsTransient(new RequestFailedException(503, "Server Busy"), caller.Token));
    }

    [Fact]
    public void IsStorageTrouble_TransientOrContention_True()
    {
        Assert.True(Api.IsStorageTrouble(RetriesTimedOut()));
        Assert.True(Api.IsStorageTrouble(new CommitContentionException("mask-parade.20240908.1400", 3)));
        Assert.False(Api.IsStorageTrouble(new TaskCanceledException()));
    }
}
