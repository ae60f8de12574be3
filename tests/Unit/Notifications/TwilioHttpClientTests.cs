using FestivalReservations.Core.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Twilio.Clients;

namespace FestivalReservations.Tests.Unit.Notifications;

/// <summary>The Twilio client's HttpClient comes from IHttpClientFactory, with its timeout and no retrying handler.</summary>
public sealed class TwilioHttpClientTests
{
    private static ServiceProvider Services() =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddFestivalNotifications()
            .Configure<TwilioOptions>(o => { o.AccountSid = "AC00000000000000000000000000000000"; o.AuthToken = "t"; o.From = "+15005550006"; })
            .BuildServiceProvider();

    [Fact]
    public void TwilioClient_HttpClientFromTheFactory_NamedWithTheTwilioTimeout()
    {
        using var services = Services();
        var factory = services.GetRequiredService<IHttpClientFactory>();
        Assert.Equal(NotificationServices.TwilioTimeout, factory.CreateClient(NotificationServices.TwilioHttpClient).Timeout);
        Assert.NotNull(services.GetRequiredService<ITwilioRestClient>());
    }

    [Fact]
    public void TwilioClient_NoHandlerRetriesAMessageCreate()
    {
        using var services = Services();
        var options = services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(NotificationServices.TwilioHttpClient);
        var builder = new TestBuilder(services);
        foreach (var action in options.HttpMessageHandlerBuilderActions)
        {
            action(builder);
        }

        // Only the primary handler: no delegating (retry, resilience) handler between it and the client.
        Assert.Empty(builder.AdditionalHandlers);
        Assert.IsType<SocketsHttpHandler>(builder.PrimaryHandler);
    }

    private sealed class TestBuilder(IServiceProvider services) : HttpMessageHandlerBuilder
    {
        public override string? Name { get; set; } = NotificationServices.TwilioHttpClient;

        public override HttpMessageHandler PrimaryHandler { get; set; } = new HttpClientHandler();

        public override IList<DelegatingHandler> AdditionalHandlers { get; } = [];

        public override IServiceProvider Services { get; } = services;

        public override HttpMessageHandler Build() => CreateHandlerPipeline(PrimaryHandler, AdditionalHandlers);
    }
}
