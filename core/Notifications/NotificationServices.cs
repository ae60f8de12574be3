using System.Net;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Notifications.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Http;

namespace FestivalReservations.Core.Notifications;

/// <summary>SMS: the sender (Twilio, or the logging sender when Twilio:AccountSid is empty), SmsLog, the queue and poison handlers, sweep, reminders, staff views.</summary>
public static class NotificationServices
{
    /// <summary>Twilio calls time out after this (a transient failure; the queue retries).</summary>
    public static readonly TimeSpan TwilioTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The IHttpClientFactory name of the Twilio client's HttpClient.</summary>
    public const string TwilioHttpClient = "twilio";

    public static IServiceCollection AddFestivalNotifications(this IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>()
            .Validate(o => !o.IsConfigured || !string.IsNullOrWhiteSpace(o.AuthToken), "Twilio:AuthToken is required when Twilio:AccountSid is set.")
            .Validate(o => !o.IsConfigured || !string.IsNullOrWhiteSpace(o.From) || !string.IsNullOrWhiteSpace(o.MessagingServiceSid),
                "Twilio:From or Twilio:MessagingServiceSid is required when Twilio:AccountSid is set.")
            .Validate(o => string.IsNullOrWhiteSpace(o.StatusCallbackUrl) || Uri.TryCreate(o.StatusCallbackUrl, UriKind.Absolute, out _),
                "Twilio:StatusCallbackUrl must be an absolute URL.")
            .ValidateOnStart();

        // The Twilio client's HttpClient comes from IHttpClientFactory (named, configured once, its
        // handler pooled and rotated by the factory). No retry or resilience handler is added to it on
        // purpose: Twilio has no idempotency key, so an automatic retry of a message create whose reply
        // was lost would send the SMS twice. A failed create is retried only by the queue, after
        // SmsSendService's lease and SmsLog claim, and an attempt whose outcome is unknown is looked
        // up at Twilio (FindSentAsync) before anything is sent again.
        services.AddHttpClient(TwilioHttpClient, http => http.Timeout = TwilioTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            });
        services.AddSingleton<ITwilioRestClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TwilioOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(TwilioHttpClient);
            return new TwilioRestClient(options.AccountSid, options.AuthToken, httpClient: new SystemNetHttpClient(http));
        });
        services.AddSingleton<LoggingSmsSender>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.IsConfigured
            ? ActivatorUtilities.CreateInstance<TwilioSmsSender>(sp)
            : sp.GetRequiredService<LoggingSmsSender>());

        services.AddSingleton<SmsSendService>();
        services.AddSingleton<SmsPoisonHandler>();
        services.AddSingleton<OutboxSweeper>();
        services.AddSingleton<ReminderScheduler>();
        services.AddSingleton<SmsStatusUpdater>();
        services.AddSingleton<SmsStaffService>();
        services.AddHostedService<SmsSenderAnnouncement>();
        return services;
    }
}

/// <summary>Says at start which SMS sender is in use.</summary>
internal sealed class SmsSenderAnnouncement(ISmsSender sender, ILogger<SmsSenderAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning("SMS sender: {Sender}", sender.Name);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
