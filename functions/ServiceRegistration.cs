using Azure.Monitor.OpenTelemetry.Exporter;
using FestivalReservations.Core;
using FestivalReservations.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace FestivalReservations.Functions;

/// <summary>The one registration shared by the Functions host (Program.cs) and devhost.</summary>
public static class ServiceRegistration
{
    /// <summary>The setting that turns export to Application Insights on (the Functions host's own name for it).</summary>
    public const string AppInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The Azure SDK's spans (storage calls) are experimental: off unless this switch is on.</summary>
    public const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    public static IServiceCollection AddFestivalReservations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFestivalCore(configuration);
        services.AddFestivalTelemetry(configuration);
        return services;
    }

    /// <summary>
    /// OpenTelemetry: the app's spans and instruments (<see cref="FestivalTelemetry"/>), the Azure
    /// SDK's storage calls, HttpClient's calls (Twilio) and ASP.NET Core's requests (devhost);
    /// exported to Azure Monitor only when <see cref="AppInsightsConnectionString"/> is set.
    /// </summary>
    public static OpenTelemetryBuilder AddFestivalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(FestivalTelemetry.Name))
            .WithTracing(t => t.AddSource(FestivalTelemetry.Name, "Azure.*", "System.Net.Http", "Microsoft.AspNetCore"))
            .WithMetrics(m => m.AddMeter(FestivalTelemetry.Name, "System.Net.Http"));
        if (configuration[AppInsightsConnectionString] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(o => o.ConnectionString = connectionString);
        }

        return telemetry;
    }
}
