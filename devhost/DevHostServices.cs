using FestivalReservations.DevHost.Http;
using FestivalReservations.DevHost.Invocation;
using FestivalReservations.DevHost.Metadata;
using FestivalReservations.DevHost.Queues;
using FestivalReservations.DevHost.Timers;

namespace FestivalReservations.DevHost;

/// <summary>What devhost itself registers next to the app's own services: the function catalog, keys, MVC result execution, the queue and timer listeners.</summary>
public static class DevHostServices
{
    public const string LoggerCategory = "FestivalReservations.DevHost";

    public static IServiceCollection AddDevHost(this IServiceCollection services, IConfiguration configuration)
    {
        var metadataPath = DevHostOptions.From(configuration).MetadataPath ?? Path.Combine(AppContext.BaseDirectory, FunctionMetadataReader.FileName);
        var host = HostSettings.ReadFile(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(metadataPath))!, HostSettings.FileName));
        var options = DevHostOptions.From(configuration, host);
        var catalog = FunctionCatalog.Create(FunctionMetadataReader.ReadFile(metadataPath), host);
        var notes = new DevHostNotes();

        services.AddSingleton(options);
        services.AddSingleton(catalog);
        services.AddSingleton(notes);
        services.AddSingleton(new FunctionKeyAuthorizer(options.FunctionKey));
        services.AddSingleton<DevHostFunctions>();
        services.AddSingleton<RequestCounter>();

        // IActionResult execution as in ConfigureFunctionsWebApplication (System.Text.Json, web defaults).
        services.AddMvcCore();

        AddQueueListeners(services, configuration, options, catalog, notes);
        AddTimerListeners(services, configuration, options, catalog, notes);
        return services;
    }

    private static void AddQueueListeners(IServiceCollection services, IConfiguration configuration, DevHostOptions options, FunctionCatalog catalog, DevHostNotes notes)
    {
        foreach (var function in catalog.Functions.Where(f => f.Trigger.TriggerKind == TriggerKind.Queue))
        {
            var queueName = SettingExpander.Expand(
                function.Trigger.QueueName ?? throw new InvalidOperationException($"Function '{function.Name}' has no queueName."),
                configuration,
                function.Name);
            if (options.DisableQueues)
            {
                notes.Add($"{function.Name}: not polling queue '{queueName}' (DevHost:DisableQueues).");
                continue;
            }

            var connectionString = QueueClients.ConnectionString(configuration, function.Trigger.Connection);
            if (connectionString is null)
            {
                notes.Add($"{function.Name}: not polling queue '{queueName}': setting '{function.Trigger.Connection ?? QueueClients.DefaultConnection}' is not configured.");
                continue;
            }

            services.AddSingleton<IHostedService>(sp =>
            {
                var functions = sp.GetRequiredService<DevHostFunctions>();
                return new QueueTriggerListener(
                    function.Name,
                    QueueClients.Create(connectionString, queueName),
                    QueueClients.Create(connectionString, QueueClients.PoisonQueueName(queueName)),
                    (message, ct) => functions.InvokeAsync(function, message.Body, message, ct),
                    options,
                    catalog.Host.MaxDequeueCount,
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory + ".Queues"));
            });
        }
    }

    private static void AddTimerListeners(IServiceCollection services, IConfiguration configuration, DevHostOptions options, FunctionCatalog catalog, DevHostNotes notes)
    {
        foreach (var function in catalog.Functions.Where(f => f.Trigger.TriggerKind == TriggerKind.Timer))
        {
            // Parsed even when timers are off, so a bad schedule fails the start either way.
            var schedule = TimerSchedule.Parse(
                function.Trigger.Schedule ?? throw new InvalidOperationException($"Function '{function.Name}' has no schedule."),
                configuration,
                function.Name);
            if (options.DisableTimers)
            {
                notes.Add($"{function.Name}: timer '{schedule.Expression}' not scheduled (DevHost:DisableTimers); POST /admin/functions/{function.Name} runs it.");
                continue;
            }

            services.AddSingleton<IHostedService>(sp => new TimerTriggerListener(
                function,
                schedule,
                sp.GetRequiredService<DevHostFunctions>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory + ".Timers")));
        }
    }
}
