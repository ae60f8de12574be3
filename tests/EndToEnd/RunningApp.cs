using System.Net.Http.Json;
using FestivalReservations.DevHost;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>
/// The functions app served by devhost on a free loopback port over the shared Azurite, with the
/// shipped catalog and the clock pinned to Monday 2024-09-02 12:00 KST (Sep 8 open, Sep 1 over).
/// Tests talk to it over real HTTP.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    public const string StaffKey = "e2e-staff-key";
    public const string OpenSunday = "2024-09-08";
    public static readonly DateTimeOffset PinnedNow = new(2024, 9, 2, 12, 0, 0, TimeSpan.FromHours(9));

    private RunningApp(WebApplication app, HttpClient client, HttpClient staff)
    {
        App = app;
        Client = client;
        Staff = staff;
    }

    public WebApplication App { get; }

    /// <summary>An anonymous visitor.</summary>
    public HttpClient Client { get; }

    /// <summary>A staff tablet: sends the function key as x-functions-key.</summary>
    public HttpClient Staff { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts the app; <paramref name="services"/> runs after its own registration (replace a service, e.g. the SMS sender).</summary>
    public static async Task<RunningApp> StartAsync(
        AzuriteFixture azurite, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Festival:CatalogFile"] = "catalog/2024-autumn.json",
            ["Festival:Now"] = PinnedNow.ToString("O"),
            ["Privacy:PhoneHashKey"] = "end-to-end-test-phone-hash-key-0123456789",
            ["DevHost:FunctionKey"] = StaffKey,
            ["DevHost:DisableTimers"] = "true",
            ["DevHost:QueueRetryDelay"] = "00:00:00.200",
            ["DevHost:QueuePollInterval"] = "00:00:00.200",
            // Every test client is 127.0.0.1: limits are tested on their own, with small numbers.
            ["RateLimits:ReservationsPerMinute"] = "100000",
            ["RateLimits:LookupsPerMinute"] = "100000",
            ["RateLimits:FailedLookupsPerHour"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = DevHostApp.Build(["--urls", "http://127.0.0.1:0"], c => c.AddInMemoryCollection(values), services);
        await app.StartAsync();
        var address = DevHostApp.BaseAddress(app);
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var staff = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        staff.DefaultRequestHeaders.Add("x-functions-key", StaffKey);
        return new RunningApp(app, client, staff);
    }

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
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
