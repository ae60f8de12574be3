using System.Net.Http.Json;
using Azure.Storage.Queues;
using FestivalReservations.Core.Storage;
using FestivalReservations.DevHost;
using FestivalReservations.Testing;
using FestivalReservations.Tests.EndToEnd.OpenApi;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>
/// The functions app served by devhost on a free loopback port over the shared Azurite, with the
/// shipped catalog and the clock pinned to Monday 2024-09-02 12:00 KST (Sep 8 open, Sep 1 over).
/// Tests talk to it over real HTTP. It is configured by its <see cref="AppSettings"/> alone (no
/// local.settings file, no environment variables) and has an sms queue of its own. Every response its clients get is checked
/// against openapi.json (<see cref="OpenApiCheckingHandler"/>): drift fails the call, and a drift a test caught fails the dispose.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    public const string StaffKey = "e2e-staff-key";
    public const string OpenSunday = "2024-09-08";
    public static readonly DateTimeOffset PinnedNow = new(2024, 9, 2, 12, 0, 0, TimeSpan.FromHours(9));

    private RunningApp(WebApplication app, AppSettings settings, OpenApiCheckingHandler check, HttpClient client, HttpClient staff)
    {
        App = app;
        Settings = settings;
        OpenApiCheck = check;
        Client = client;
        Staff = staff;
    }

    public WebApplication App { get; }

    /// <summary>Everything the app was configured with.</summary>
    public AppSettings Settings { get; }

    /// <summary>An anonymous visitor.</summary>
    public HttpClient Client { get; }

    /// <summary>A staff tablet: sends the function key as x-functions-key.</summary>
    public HttpClient Staff { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The openapi.json check both clients go through: its violations and the operations and statuses exercised.</summary>
    public OpenApiCheckingHandler OpenApiCheck { get; }

    /// <summary>This app's sms queue (and, via its name, its poison queue).</summary>
    public QueueClient SmsQueue => Services.GetRequiredService<StorageTables>().SmsQueue;

    public QueueClient SmsPoisonQueue => Services.GetRequiredService<StorageTables>().SmsPoisonQueue;

    /// <summary>What every test app has (see <see cref="AppSettings.For"/>) plus the shipped catalog, the pinned clock and the staff key.</summary>
    public static AppSettings DefaultSettings(AzuriteFixture azurite) => AppSettings.For(azurite.ConnectionString)
        .Set("Festival:CatalogFile", AppSettings.ShippedCatalog)
        .Set("Festival:Now", PinnedNow.ToString("O"))
        .Set("DevHost:FunctionKey", StaffKey);

    /// <summary>Starts the app; <paramref name="services"/> runs after its own registration (replace a service, e.g. the SMS sender).</summary>
    public static Task<RunningApp> StartAsync(
        AzuriteFixture azurite, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        StartAsync(DefaultSettings(azurite).Set(settings), services);

    public static async Task<RunningApp> StartAsync(AppSettings settings, Action<IServiceCollection>? services = null)
    {
        var app = DevHostApp.BuildFrom(settings.ToConfiguration(), services);
        await app.StartAsync();
        var address = DevHostApp.BaseAddress(app);
        var check = new OpenApiCheckingHandler(OpenApiContract.Document, new SocketsHttpHandler());
        var client = new HttpClient(check, disposeHandler: false) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var staff = new HttpClient(check, disposeHandler: false) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        staff.DefaultRequestHeaders.Add("x-functions-key", StaffKey);
        return new RunningApp(app, settings, check, client, staff);
    }

    /// <summary>
    /// Waits until a redelivery of the messages settled so far would have been handled (the queue's
    /// visibility timeout and a little): an "exactly once" check looks after this.
    /// </summary>
    public Task WaitPastRedeliveryAsync() => Task.Delay(Settings.RedeliveryWindow);

    /// <summary>
    /// A random Korean mobile number no other test is likely to use; drawn again when it falls in a
    /// block libphonenumber does not assign (010-5970 to 010-5999 are not mobile numbers).
    /// </summary>
    public static string NewPhone()
    {
        while (true)
        {
            var phone = $"010-{Random.Shared.Next(2000, 9999)}-{Random.Shared.Next(0, 9999):D4}";
            if (FestivalReservations.Core.Phones.KoreanMobile.TryParse(phone, out _))
            {
                return phone;
            }
        }
    }

    public Task<HttpResponseMessage> ReserveAsync(string sessionId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/sessions/{sessionId}/reservations") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Staff.Dispose();
        OpenApiCheck.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        OpenApiCheck.ThrowIfAnyViolation();
    }
}
