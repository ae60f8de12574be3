using System.Net;
using System.Text;
using FestivalReservations.Bench.Load;

namespace FestivalReservations.Tests.Bench;

/// <summary>The load generator against stand-in app instances (no app, no storage).</summary>
public sealed class LoadRunnerTests
{
    [Fact]
    public async Task RunAsync_TwoInstances_EachClientSendsToItsOwnInstanceRoundRobin()
    {
        // The first answers wait until each of the four clients has sent one, so no client drains the run alone.
        var firstRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = 0;
        void Count(int _)
        {
            if (Interlocked.Increment(ref sent) == 4)
            {
                firstRound.SetResult();
            }
        }

        var instances = new[] { new StandIn("A") { OnRequest = Count, HoldUntil = firstRound.Task }, new StandIn("B") { OnRequest = Count, HoldUntil = firstRound.Task } };
        var clients = instances.Select(i => i.Client()).ToList();

        var load = await LoadRunner.RunAsync(clients, Attempts(12), clients: 4, "test", null, CancellationToken.None, CancellationToken.None);

        Assert.Equal(12, load.Outcomes.Count);
        Assert.All(load.Outcomes, o => Assert.Equal(o.Instance == 0 ? "A" : "B", o.ReservationCode));
        Assert.Equal(12, instances.Sum(i => i.Requests));
        Assert.All(instances, i => Assert.True(i.Requests > 0, $"instance {i.Name} got no request"));
        Assert.Equal([load.Outcomes.Count(o => o.ReservationCode == "A"), load.Outcomes.Count(o => o.ReservationCode == "B")], load.AnsweredBy(2));
    }

    [Fact]
    public async Task RunAsync_BoundComesWhileARequestIsInFlight_ItsAnswerCountsAndNoAttemptStartsAfter()
    {
        using var bound = new CancellationTokenSource();
        var app = new StandIn("A") { OnRequest = n => { if (n == 3) { bound.Cancel(); } } };

        var load = await LoadRunner.RunAsync([app.Client()], Attempts(10), clients: 1, "test", null, bound.Token, CancellationToken.None);

        Assert.Equal(3, load.Outcomes.Count);
        Assert.All(load.Outcomes, o => Assert.True(o.Confirmed));
        Assert.Equal(0, load.CutAtBound);
        Assert.Equal(3, app.Requests);
    }

    [Fact]
    public async Task RunAsync_BoundComesWhileAnAttemptWaitsToRetry_ItIsCutNotRetriedNorCountedAsAnAnswer()
    {
        using var bound = new CancellationTokenSource();
        var app = new StandIn("A") { Status = HttpStatusCode.ServiceUnavailable, OnRequest = _ => bound.Cancel() };

        var load = await LoadRunner.RunAsync([app.Client()], Attempts(10), clients: 1, "test", null, bound.Token, CancellationToken.None);

        var cut = Assert.Single(load.Outcomes);
        Assert.True(cut.CutAtBound);
        Assert.Equal((503, 1), (cut.Status, cut.Unavailable));
        Assert.Equal(1, app.Requests);
        Assert.Empty(load.Answered);
        Assert.Empty(load.Other);
        Assert.Equal(0, load.Percentile(99));
    }

    private static List<Attempt> Attempts(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Attempt(i, "s.20240908.1500", $"010-2000-{i:D4}", 1))];

    /// <summary>An app instance that answers every reservation with its own name as the code.</summary>
    private sealed class StandIn(string name) : HttpMessageHandler
    {
        private int _requests;

        public string Name => name;

        public int Requests => Volatile.Read(ref _requests);

        public HttpStatusCode Status { get; init; } = HttpStatusCode.Created;

        public Action<int>? OnRequest { get; init; }

        /// <summary>Answers wait for this.</summary>
        public Task HoldUntil { get; init; } = Task.CompletedTask;

        public HttpClient Client() => new(this) { BaseAddress = new Uri($"http://{name.ToLowerInvariant()}.test/") };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var count = Interlocked.Increment(ref _requests);
            OnRequest?.Invoke(count);
            await HoldUntil.WaitAsync(cancellationToken);
            var body = Status == HttpStatusCode.Created
                ? $$"""{"code":"{{name}}","status":"confirmed"}"""
                : """{"code":"storage-unavailable"}""";
            return new HttpResponseMessage(Status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
