using Azure.Monitor.OpenTelemetry.Exporter;
using FestivalReservations.Core;
using FestivalReservations.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace FestivalReservations.Functions;

/// <summary>The one registration shared by the Functions host (Program.cs) and devhost.</summary>
public static class ServiceRegistration
{
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
    /// exported to Azure Monitor only when <see cref="TelemetryOptions.ConnectionStringKey"/> is set, signed in
    /// with a managed identity when the authentication string says so (<see cref="TelemetryOptions"/>,
    /// validated at start).
    /// </summary>
    public static OpenTelemetryBuilder AddFestivalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(FestivalTelemetry.Name))
            .WithTracing(t => t.AddSource(FestivalTelemetry.Name, "Azure.*", "System.Net.Http", "Microsoft.AspNetCore"))
            .WithMetrics(m => m.AddMeter(FestivalTelemetry.Name, "System.Net.Http"));
        services.AddOptions<TelemetryOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        if (configuration.Get<TelemetryOptions>() is { Exports: true })
        {
            telemetry.UseAzureMonitorExporter();
            services.AddOptions<AzureMonitorExporterOptions>().Configure<IOptions<TelemetryOptions>>((exporter, options) =>
            {
                exporter.ConnectionString = options.Value.ConnectionString;
                exporter.Credential = options.Value.Credential();
            });
        }

        return telemetry;
    }
}
