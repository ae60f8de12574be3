using FestivalReservations.DevHost.Http;
using FestivalReservations.DevHost.Invocation;
using FestivalReservations.Functions;

namespace FestivalReservations.DevHost;

/// <summary>
/// The entry point of devhost, used by Program.cs and by tests in-process: builds a web app that
/// serves the functions app's own classes like `func start` would.
/// </summary>
public static class DevHostApp
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>
    /// Builds (does not start) devhost. Configuration, last wins: local.settings(.sample).json
    /// Values (unless DevHost:DisableLocalSettings), environment, <paramref name="args"/> (e.g. --urls http://127.0.0.1:0), then
    /// <paramref name="configure"/>. After StartAsync, <see cref="BaseAddress"/> gives the bound address.
    /// <paramref name="services"/> runs after the app's own registration (tests replace a service there).
    /// </summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null) =>
        Build(new WebApplicationOptions { Args = args }, configuration => DevHostConfiguration.Apply(configuration, args, configure), services);

    /// <summary>
    /// Builds (does not start) devhost configured by <paramref name="settings"/> alone (A:B keys;
    /// "urls" for the address): no local.settings file, no environment variables, and the Production
    /// environment whatever ASPNETCORE_ENVIRONMENT says. For apps under test.
    /// </summary>
    public static WebApplication BuildFrom(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? services = null) =>
        Build(
            new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production },
            configuration => DevHostConfiguration.ApplyOnly(configuration, settings),
            services);

    private static WebApplication Build(WebApplicationOptions options, Action<IConfigurationBuilder> configure, Action<IServiceCollection>? services)
    {
        var builder = WebApplication.CreateBuilder(options);
        configure(builder.Configuration);
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The functions app's own registration (the one Program.cs of functions calls), then devhost's.
        builder.Services.AddFestivalReservations(builder.Configuration);
        builder.Services.AddDevHost(builder.Configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        HttpFunctionEndpoints.Map(app, catalog);
        AdminEndpoints.Map(app);

        app.Lifetime.ApplicationStarted.Register(() => Console.Out.Write(Banner.Render(
            app.Urls.FirstOrDefault() ?? DefaultUrl,
            catalog,
            app.Services.GetRequiredService<FunctionKeyAuthorizer>(),
            app.Services.GetRequiredService<DevHostNotes>())));
        return app;
    }

    /// <summary>The first address the started app listens on (the real port when --urls asked for port 0).</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        var url = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("devhost is not listening yet: call StartAsync first.");
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }
}
