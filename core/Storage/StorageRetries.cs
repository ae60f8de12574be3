using FestivalReservations.Core.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace FestivalReservations.Core.Storage;

/// <summary>
/// The app's own retries around storage calls, one named Polly pipeline per policy (get one from
/// <c>ResiliencePipelineProvider&lt;string&gt;</c>). Each retries what <see cref="StorageFailure"/>
/// calls transient for as long as its time budget since the first attempt lasts, then lets the
/// failure through. They run on real time, not the festival clock (Festival:Now, a test's fake
/// clock): an outage is waited out in seconds that pass. Polly logs each retry (a warning naming
/// the pipeline and the failure), not each successful run.
/// </summary>
public static class StorageRetries
{
    /// <summary>Start-up (<see cref="StartupInitializer"/>): every Storage:StartupRetryDelay for Storage:StartupWait, cancellable.</summary>
    public const string Startup = "storage-startup";

    /// <summary>
    /// Recording the SID of an SMS Twilio has (<see cref="SmsSendService"/>): 200 ms more each time,
    /// at most 2 s, for as long as Sms:SendLease keeps other deliveries away. Its callers pass no
    /// cancellation: giving up early would let a redelivery send the SMS a second time.
    /// </summary>
    public const string SmsSent = "sms-sent-record";

    public static readonly TimeSpan SmsSentStep = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan SmsSentMaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>When the current run of a pipeline began (set by <see cref="StartStamp"/>).</summary>
    private static readonly ResiliencePropertyKey<long> StartedAt = new("FestivalReservations.StartedAt");

    public static IServiceCollection AddStorageRetries(this IServiceCollection services)
    {
        services.AddResiliencePipeline(Startup, (builder, context) =>
        {
            var storage = context.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value;
            builder.AddStartupRetry(storage.StartupWait, storage.StartupRetryDelay, TimeProvider.System);
        });
        services.AddResiliencePipeline(SmsSent, (builder, context) =>
            builder.AddSmsSentRetry(context.ServiceProvider.GetRequiredService<IOptions<SmsOptions>>().Value.SendLease, TimeProvider.System));
        // Every attempt is an event too (information when it needed no retry): one log line per SMS sent, none of it news.
        services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = args =>
            args.Event.EventName == "ExecutionAttempt" ? ResilienceEventSeverity.None : args.Event.Severity);
        return services;
    }

    /// <summary>The <see cref="Startup"/> policy: a constant <paramref name="delay"/>, within <paramref name="wait"/>.</summary>
    public static ResiliencePipelineBuilder AddStartupRetry(this ResiliencePipelineBuilder builder, TimeSpan wait, TimeSpan delay, TimeProvider time) =>
        builder.AddTransientRetryWithin(wait, time, new RetryStrategyOptions
        {
            BackoffType = DelayBackoffType.Constant,
            Delay = delay,
        });

    /// <summary>The <see cref="SmsSent"/> policy: <see cref="SmsSentStep"/> times the attempt, at most <see cref="SmsSentMaxDelay"/>, within <paramref name="lease"/>.</summary>
    public static ResiliencePipelineBuilder AddSmsSentRetry(this ResiliencePipelineBuilder builder, TimeSpan lease, TimeProvider time) =>
        builder.AddTransientRetryWithin(lease, time, new RetryStrategyOptions
        {
            BackoffType = DelayBackoffType.Linear,
            Delay = SmsSentStep,
            MaxDelay = SmsSentMaxDelay,
        });

    /// <summary>
    /// Retries transient storage failures (<see cref="StorageFailure.IsTransient(Exception, CancellationToken)"/>
    /// against the run's own token) while less than <paramref name="budget"/> has passed since the run began.
    /// </summary>
    private static ResiliencePipelineBuilder AddTransientRetryWithin(
        this ResiliencePipelineBuilder builder, TimeSpan budget, TimeProvider time, RetryStrategyOptions retry)
    {
        builder.TimeProvider = time;
        retry.MaxRetryAttempts = int.MaxValue;
        retry.UseJitter = false;
        retry.ShouldHandle = args => ValueTask.FromResult(
            args.Outcome.Exception is { } e
            && StorageFailure.IsTransient(e, args.Context.CancellationToken)
            && args.Context.Properties.TryGetValue(StartedAt, out var started)
            && time.GetElapsedTime(started) < budget);
        return builder
            .AddStrategy(_ => new StartStamp(time), new StartStampOptions())
            .AddRetry(retry);
    }

    /// <summary>Notes when a run begins, for the retry's budget: Polly's context has no start time of its own.</summary>
    private sealed class StartStamp(TimeProvider time) : ResilienceStrategy
    {
        protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
        {
            context.Properties.Set(StartedAt, time.GetTimestamp());
            return callback(context, state);
        }
    }

    private sealed class StartStampOptions : ResilienceStrategyOptions;
}
