using FestivalReservations.Core.Abuse;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Queries;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Staff;
using FestivalReservations.Core.Storage;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Core.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Core;

/// <summary>Registers the domain, storage and clock; options are bound from their sections and validated at start.</summary>
public static class CoreServices
{
    public static IServiceCollection AddFestivalCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FestivalOptions>().Bind(configuration.GetSection(FestivalOptions.Section))
            .Validate(o => o.PublicBaseUrlProblem() is null,
                $"Festival:PublicBaseUrl must be an absolute http(s) URL, scheme and host only, at most {FestivalOptions.MaxPublicBaseUrlLength} characters (ticket links go in SMS).")
            .ValidateOnStart();
        services.AddOptions<TicketOptions>().Bind(configuration.GetSection(TicketOptions.Section))
            .Validate(o => o.Problem() is null,
                $"Tickets:SigningKeys needs one or more keys of at least {TicketOptions.MinKeyLength} characters under one-character ids (Crockford base32), and Tickets:CurrentKeyId one of them.")
            .ValidateOnStart();
        services.AddOptions<ReservationOptions>().Bind(configuration.GetSection(ReservationOptions.Section))
            .Validate(o => o.MaxCommitAttempts is >= 1 and <= 100, "Reservations:MaxCommitAttempts must be 1-100.")
            .Validate(o => o.Allotments is >= 0 and <= AllotmentRule.MaxAllotments, $"Reservations:Allotments must be 0-{AllotmentRule.MaxAllotments}.")
            .Validate(o => o.MinSeatsPerAllotment is >= 1 and <= 10_000, "Reservations:MinSeatsPerAllotment must be 1-10000.")
            .Validate(o => o.MaxPerPhonePerDay is >= 1 and <= 50, "Reservations:MaxPerPhonePerDay must be 1-50.")
            .ValidateOnStart();
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section))
            .Validate(o => o.PhoneHashKey.Length >= 32, "Privacy:PhoneHashKey must be at least 32 characters.")
            .Validate(o => o.RetentionDays is >= 1 and <= 3650, "Privacy:RetentionDays must be 1-3650.")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.ReservationsPerMinute > 0 && o.LookupsPerMinute > 0 && o.FailedLookupsPerHour > 0 && o.StatusCallbacksPerMinute > 0,
                "RateLimits values must be positive.")
            .Validate(o => o.TrustedProxyHops is >= 0 and <= RateLimitOptions.MaxTrustedProxyHops,
                $"RateLimits:TrustedProxyHops must be 0-{RateLimitOptions.MaxTrustedProxyHops} (0 locally, 1 behind Azure's front end).")
            .Validate(o => o.FailedLookupsPerCode is >= 1 and <= 1000, "RateLimits:FailedLookupsPerCode must be 1-1000.")
            .Validate(o => o.CodeLockout >= TimeSpan.FromMinutes(1) && o.CodeLockout <= TimeSpan.FromDays(1), "RateLimits:CodeLockout must be between 00:01:00 and 1.00:00:00.")
            .ValidateOnStart();
        // Real time, not the festival clock (SharedAddressBudget says why).
        services.AddSingleton(sp => new SharedAddressBudget(
            sp.GetRequiredService<IAddressBudgetLedger>(), TimeProvider.System, sp.GetRequiredService<IOptions<RateLimitOptions>>()));
        services.AddSingleton<ClientRateLimiter>();
        services.AddSingleton<PhoneDayHolds>();
        services.AddSingleton<SmsBudget>();
        services.AddSingleton<CodeLockout>();
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.Section));
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section))
            .Validate(o => o.SendLease >= TimeSpan.FromSeconds(1) && o.SendLease <= TimeSpan.FromMinutes(10), "Sms:SendLease must be between 00:00:01 and 00:10:00.")
            .Validate(o => o.MaxPerPhonePerDay is >= 1 and <= 1000, "Sms:MaxPerPhonePerDay must be 1-1000.")
            .ValidateOnStart();

        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<IOptions<FestivalOptions>>().Value.Now is { } pinned
            ? new PinnedTimeProvider(pinned, TimeProvider.System)
            : TimeProvider.System);

        services.AddFestivalStorage(configuration);

        services.AddSingleton<CatalogSource>();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<CatalogSeeder>();
        services.AddSingleton<SessionCounterCache>();
        services.AddSingleton<FestivalQueries>();

        services.AddSingleton<PhoneHasher>();
        services.AddSingleton<DataRetention>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.FestivalTelemetry>();
        services.AddSingleton<CommitMetrics>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<SingleCommitter>();
        services.AddSingleton<BatchedCommitter>();
        services.AddSingleton<IReservationCommitter>(sp =>
            sp.GetRequiredService<IOptions<ReservationOptions>>().Value.CommitMode switch
            {
                CommitMode.Single => sp.GetRequiredService<SingleCommitter>(),
                CommitMode.Batched => sp.GetRequiredService<BatchedCommitter>(),
                var mode => throw new InvalidOperationException($"Reservations:CommitMode {mode} is not available."),
            });
        services.AddSingleton<SessionChanges>();

        // One class per use case.
        services.AddSingleton<ReserveSeats>();
        services.AddSingleton<IdempotentReserve>();
        services.AddSingleton<OwnedReservations>();
        services.AddSingleton<ReservationLookup>();
        services.AddSingleton<Cancellation>();
        services.AddSingleton<VisitorCancellation>();
        services.AddSingleton<StaffCancellation>();
        services.AddSingleton<CheckIn>();
        services.AddSingleton<SessionSettings>();
        services.AddSingleton<CapacityBoard>();
        services.AddSingleton<AttendeeList>();
        services.AddSingleton<CatalogUpdater>();
        services.AddSingleton<NoShowMarker>();
        services.AddSingleton<Lotteries.LotteryDraw>();
        services.AddSingleton<TicketSigner>();
        services.AddSingleton<TicketLocator>();
        services.AddSingleton<TicketReservations>();
        services.AddSingleton<TicketDayKeys>();
        services.AddSingleton<ErasureRuns>();

        services.AddFestivalNotifications();

        services.AddStorageRetries();
        services.AddHostedService<StartupInitializer>();
        return services;
    }
}
