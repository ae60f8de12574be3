using System.Text.Json;
using FestivalReservations.Core;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Idempotency;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FestivalReservations.Tests.Integration;

/// <summary>
/// One app instance's core services over Azurite, as the functions app registers them, with a
/// fake clock and a catalog of its own (and a hook to replace a service, e.g. the SMS sender).
/// Two harnesses over one Azurite are two app instances.
/// </summary>
public sealed class CoreHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CoreHarness(ServiceProvider services, FakeTimeProvider clock)
    {
        _services = services;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public IdempotentReserve Reservations => Get<IdempotentReserve>();

    public ReservationLookup Lookups => Get<ReservationLookup>();

    public VisitorCancellation Cancellations => Get<VisitorCancellation>();

    public SessionStore Sessions => Get<SessionStore>();

    public static async Task<CoreHarness> StartAsync(
        string connectionString, CatalogDocument catalog, string commitMode = "Single", FakeTimeProvider? clock = null,
        Action<IServiceCollection>? services = null, string? smsQueueName = null)
    {
        var catalogFile = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(catalogFile, JsonSerializer.Serialize(catalog, JsonPolicies.Contract));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            // The SMS requests of this harness go to a queue of its own.
            [AppSettings.SmsQueueNameKey] = smsQueueName ?? AppSettings.NewSmsQueueName(),
            ["Festival:CatalogFile"] = catalogFile,
            ["Reservations:CommitMode"] = commitMode,
            // Single mode under a 200-way race needs many rounds; production answers 503 sooner.
            ["Reservations:MaxCommitAttempts"] = "100",
            // Keyed by the catalog: harnesses of one test (app instances) agree on phones' hashes,
            // while tests sharing this Azurite and its phone numbers keep apart their phones' days.
            ["Privacy:PhoneHashKey"] = "integration-test-phone-hash-key-" + CatalogKey(catalog),
            ["Tickets:SigningKeys"] = AppSettings.TicketSigningKeys,
            ["Tickets:CurrentKeyId"] = "1",
            ["Festival:PublicBaseUrl"] = AppSettings.PublicBaseUrl,
        }).Build();

        clock ??= new FakeTimeProvider(TestCatalog.BookingIsOpen);
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddFestivalCore(configuration)
            .AddSingleton<TimeProvider>(clock);
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        await provider.GetRequiredService<StorageTables>().EnsureCreatedAsync(CancellationToken.None);
        await provider.GetRequiredService<CatalogSeeder>().SeedAsync(CancellationToken.None);
        return new CoreHarness(provider, clock);
    }

    private static string CatalogKey(CatalogDocument catalog) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('|', catalog.Programs.Select(p => p.ProgramId)))))[..16];

    public static string Phone(int i) => $"010-{5000 + (i / 10000):D4}-{i % 10000:D4}";

    public static ReservationRequest Request(int i, int partySize = 1, bool joinWaitlist = false, string? phone = null) =>
        new($"방문자 {i}", phone ?? Phone(i), partySize, "ko", joinWaitlist);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
