using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using FestivalReservations.Core.Telemetry;
using FestivalReservations.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Telemetry;

/// <summary>APPLICATIONINSIGHTS_CONNECTION_STRING and _AUTHENTICATION_STRING: checked at start, and what the exporter is given.</summary>
public sealed class TelemetryOptionsTests
{
    private const string Key = "3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
    private const string ClientId = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private const string Connection = $"InstrumentationKey={Key};IngestionEndpoint=https://koreacentral-0.in.applicationinsights.azure.com/;LiveEndpoint=https://koreacentral.livediagnostics.monitor.azure.com/;ApplicationId=6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";

    [Theory]
    [InlineData("", true)]
    [InlineData(Connection, true)]
    [InlineData($"InstrumentationKey={Key}", true)]
    [InlineData($" InstrumentationKey = {Key} ; ", true)]
    [InlineData("not a connection string", false)]
    [InlineData($"InstrumentationKey={Key};InstrumentationKey={Key}", false)]
    [InlineData("IngestionEndpoint=https://koreacentral-0.in.applicationinsights.azure.com/", false)]
    [InlineData("InstrumentationKey=my-app", false)]
    [InlineData("InstrumentationKey=", false)]
    [InlineData($"InstrumentationKey={Key};IngestionEndpoint=koreacentral-0.in.applicationinsights.azure.com", false)]
    [InlineData($"InstrumentationKey={Key};IngestionEndpoint=http://koreacentral-0.in.applicationinsights.azure.com/", false)]
    public void ConnectionStringProblem_IsThereOneWhenMalformed(string value, bool valid) =>
        Assert.Equal(valid, TelemetryOptions.ConnectionStringProblem(value) is null);

    [Theory]
    [InlineData("", true)]
    [InlineData($"Authorization=AAD;ClientId={ClientId}", true)]
    [InlineData($"ClientId={ClientId};Authorization=AAD", true)] // the Bicep's order
    [InlineData("Authorization=aad", true)]
    [InlineData("Authorization=Key", false)]
    [InlineData($"ClientId={ClientId}", false)]
    [InlineData("Authorization=AAD;ClientId=api-identity", false)]
    [InlineData("AAD", false)]
    public void AuthenticationStringProblem_IsThereOneWhenMalformed(string value, bool valid) =>
        Assert.Equal(valid, TelemetryOptions.AuthenticationStringProblem(value) is null);

    [Fact]
    public void Credential_EntraIdWithClientId_ThatManagedIdentity()
    {
        var options = new TelemetryOptions { ConnectionString = Connection, AuthenticationString = $"ClientId={ClientId};Authorization=AAD" };

        Assert.IsType<ManagedIdentityCredential>(options.Credential());
    }

    [Fact]
    public void Credential_NoAuthenticationString_None()
    {
        Assert.Null(new TelemetryOptions { ConnectionString = Connection }.Credential());
    }

    [Fact]
    public void AddFestivalTelemetry_ConnectionAndEntraId_ExporterGetsBothAndTheIdentity()
    {
        using var services = Services(new() { [TelemetryOptions.ConnectionStringKey] = Connection, [TelemetryOptions.AuthenticationStringKey] = $"ClientId={ClientId};Authorization=AAD" });

        var exporter = services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);

        Assert.Equal(Connection, exporter.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(exporter.Credential);
    }

    [Fact]
    public void AddFestivalTelemetry_ConnectionOnly_ExporterWithoutCredential()
    {
        using var services = Services(new() { [TelemetryOptions.ConnectionStringKey] = Connection });

        var exporter = services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);

        Assert.Equal(Connection, exporter.ConnectionString);
        Assert.Null(exporter.Credential);
    }

    [Fact]
    public void AddFestivalTelemetry_NoConnectionString_NoExporter()
    {
        using var services = Services(new() { [TelemetryOptions.ConnectionStringKey] = "" });

        Assert.Empty(services.GetServices<IConfigureOptions<AzureMonitorExporterOptions>>());
    }

    [Theory]
    [InlineData(TelemetryOptions.ConnectionStringKey, "InstrumentationKey=my-app", "APPLICATIONINSIGHTS_CONNECTION_STRING has no InstrumentationKey=<guid>")]
    [InlineData(TelemetryOptions.ConnectionStringKey, "my-app", "APPLICATIONINSIGHTS_CONNECTION_STRING is not a connection string")]
    [InlineData(TelemetryOptions.AuthenticationStringKey, "Authorization=Key", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING must say Authorization=AAD")]
    public async Task Start_MalformedSetting_FailsSayingWhich(string setting, string value, string message)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value });
        builder.Services.AddFestivalTelemetry(builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, failure.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddFestivalTelemetry(configuration);
        return services.BuildServiceProvider();
    }
}
