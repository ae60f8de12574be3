using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Azure;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Registry;

namespace FestivalReservations.Tests.Unit.Storage;

/// <summary>
/// The two retry policies around storage calls (<see cref="StorageRetries"/>), on a fake clock: which
/// failures they retry, how long they wait between tries, and when they give up.
/// </summary>
public sealed class StorageRetriesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 9, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> _attempts = [];

    [Fact]
    public async Task Startup_StorageDownThreeTimes_TriesEverySecondUntilItAnswers()
    {
        var pipeline = Startup();

        await RunAsync(pipeline, failures: 3, Unavailable);

        Assert.Equal([0, 1, 2, 3], _attempts.Select(a => a.TotalSeconds));
    }

    [Fact]
    public async Task Startup_StorageDownThroughout_GivesUpAfterAMinuteWithStoragesFailure()
    {
        var pipeline = Startup();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => RunAsync(pipeline, failures: int.MaxValue, Unavailable));

        Assert.Equal(503, failure.Status);
        // Tries at 0, 1, ... 60 s: the one at 60 s is the last, as the minute is up.
        Assert.Equal(61, _attempts.Count);
        Assert.Equal(Wait, _attempts[^1]);
    }

    [Fact]
    public async Task Startup_OurOwnBug_NotRetried()
    {
        var pipeline = Startup();

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(pipeline, failures: 1, () => new InvalidOperationException("bug")));

        Assert.Single(_attempts);
    }

    [Fact]
    public async Task Startup_HostStopping_StopsWaitingAtOnce()
    {
        var pipeline = Startup();
        using var stopping = new CancellationTokenSource();

        var run = pipeline.ExecuteAsync(_ =>
        {
            _attempts.Add(TimeSpan.Zero);
            throw Unavailable();
        }, stopping.Token).AsTask();
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Single(_attempts);
    }

    [Fact]
    public async Task SmsSent_StorageDown_BacksOff200MsMoreEachTimeUpToTwoSeconds()
    {
        var pipeline = SmsSent();

        await RunAsync(pipeline, failures: 12, Unavailable);

        var delays = _attempts.Zip(_attempts.Skip(1), (a, b) => (b - a).TotalMilliseconds);
        Assert.Equal([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2000, 2000], delays);
    }

    [Fact]
    public async Task SmsSent_StorageDownThroughout_KeepsTryingForTheLeaseThenGivesUp()
    {
        var pipeline = SmsSent();

        await Assert.ThrowsAsync<RequestFailedException>(() => RunAsync(pipeline, failures: int.MaxValue, Unavailable));

        Assert.True(_attempts[^2] < Lease, $"the last but one try was at {_attempts[^2]}");
        Assert.True(_attempts[^1] >= Lease, $"the last try was at {_attempts[^1]}");
    }

    [Fact]
    public async Task SmsSent_NetworkTimeoutOfACallMadeWithoutCancellation_Retried()
    {
        var pipeline = SmsSent();

        await RunAsync(pipeline, failures: 1, () => new TaskCanceledException("network timeout"));

        Assert.Equal(2, _attempts.Count);
    }

    [Fact]
    public async Task AddStorageRetries_EachPolicyByName_ItsBudgetFromOptions()
    {
        // Real time here (as registered): budgets of a fraction of a second, so each gives up after a few tries.
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new StorageOptions { StartupWait = TimeSpan.FromMilliseconds(300), StartupRetryDelay = TimeSpan.FromMilliseconds(100) }))
            .AddSingleton(Options.Create(new SmsOptions { SendLease = TimeSpan.FromMilliseconds(300) }))
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddStorageRetries()
            .BuildServiceProvider();
        var pipelines = services.GetRequiredService<ResiliencePipelineProvider<string>>();

        foreach (var name in new[] { StorageRetries.Startup, StorageRetries.SmsSent })
        {
            var tries = 0;
            await Assert.ThrowsAsync<RequestFailedException>(async () => await pipelines.GetPipeline(name).ExecuteAsync(_ =>
            {
                tries++;
                throw Unavailable();
            }, CancellationToken.None));
            Assert.InRange(tries, 2, 10);
        }

        Assert.Throws<KeyNotFoundException>(() => pipelines.GetPipeline("twilio"));
    }

    [Fact]
    public async Task AddStorageRetries_Logs_EachRetryButNotEachRun()
    {
        var lines = new LogLines();
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new SmsOptions { SendLease = TimeSpan.FromSeconds(30) }))
            .AddSingleton(Options.Create(new StorageOptions()))
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(lines))
            .AddStorageRetries()
            .BuildServiceProvider();
        var pipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(StorageRetries.SmsSent);
        var tries = 0;

        await pipeline.ExecuteAsync(_ => ++tries == 1 ? throw Unavailable() : ValueTask.CompletedTask, CancellationToken.None);

        var line = Assert.Single(lines, l => l.Level >= LogLevel.Information);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("OnRetry", line.Message);
        Assert.Contains(StorageRetries.SmsSent, line.Message);
    }

    [Theory]
    [InlineData("00:01:00", "00:00:01", null)]
    [InlineData("00:00:01", "00:00:00.100", null)]
    [InlineData("00:00:00.500", "00:00:00.100", "Storage:StartupWait must be between 00:00:01 and 00:10:00.")]
    [InlineData("00:11:00", "00:00:01", "Storage:StartupWait must be between 00:00:01 and 00:10:00.")]
    [InlineData("00:01:00", "00:00:00.050", "Storage:StartupRetryDelay must be between 00:00:00.1 and 00:01:00, and at most Storage:StartupWait.")]
    [InlineData("00:00:05", "00:00:10", "Storage:StartupRetryDelay must be between 00:00:00.1 and 00:01:00, and at most Storage:StartupWait.")]
    public void StorageOptions_StartupTimings_CheckedAtStart(string wait, string delay, string? problem)
    {
        var options = new StorageOptions
        {
            ConnectionString = "UseDevelopmentStorage=true",
            StartupWait = TimeSpan.Parse(wait, CultureInfo.InvariantCulture),
            StartupRetryDelay = TimeSpan.Parse(delay, CultureInfo.InvariantCulture),
        };

        var problems = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();

        Assert.Equal(problem is null ? [] : [problem], problems);
    }

    private ResiliencePipeline Startup() =>
        new ResiliencePipelineBuilder().AddStartupRetry(Wait, TimeSpan.FromSeconds(1), _time).Build();

    private ResiliencePipeline SmsSent() => new ResiliencePipelineBuilder().AddSmsSentRetry(Lease, _time).Build();

    private static RequestFailedException Unavailable() => new(503, "Server busy");

    /// <summary>Runs a call that fails <paramref name="failures"/> times, noting when each try began, moving the fake clock on while the pipeline waits.</summary>
    private async Task RunAsync(ResiliencePipeline pipeline, int failures, Func<Exception> failure)
    {
        var start = _time.GetUtcNow();
        var run = pipeline.ExecuteAsync(_ =>
        {
            _attempts.Add(_time.GetUtcNow() - start);
            return _attempts.Count <= failures ? throw failure() : ValueTask.CompletedTask;
        }, CancellationToken.None).AsTask();
        while (!run.IsCompleted)
        {
            await Task.Yield();
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }

        await run;
    }
}
