using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Testing;
using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>
/// The app's own storage calls, made through a recording proxy, are each classified as the kind
/// they are: what <see cref="CallClassifierTests"/> checks on captured samples, checked here on what
/// the SDK sends today. With FR_PROXY_SAMPLES=folder these tests write every request they saw
/// there (LF line ends), to refresh the samples in Samples/.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallClassifierLiveTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Session = "sunset-jazz-lounge.20240908.1730";
    private const string Phone = "010-2345-6789";

    [Fact]
    public async Task StoreCalls_EachIsClassifiedAsItsKind()
    {
        await using var proxies = await ProxyClients.StartAsync(azurite);
        Record(proxies);
        var options = new StorageOptions { ConnectionString = proxies.ConnectionString, SmsQueueName = AppSettings.NewSmsQueueName() };
        await using var clients = new ServiceCollection().AddSingleton(Options.Create(options)).AddStorageClients().BuildServiceProvider();
        var tables = clients.GetRequiredService<StorageTables>();
        var codes = new CodeDirectory(tables);
        var idempotency = new IdempotencyStore(tables, TimeProvider.System);
        var pair = ReservationCode.NewOnOneShelf(2);
        var single = ReservationCode.New();

        await Expect(proxies, () => tables.EnsureCreatedAsync(CancellationToken.None), CallKind.Other, CallKind.QueueOther);
        await Expect(proxies, () => codes.TryClaimAsync(pair, "proxy-test", CancellationToken.None), CallKind.CodeClaim);
        await Expect(proxies, () => codes.TryClaimAsync([single], "proxy-test", CancellationToken.None), CallKind.CodeClaim);
        await Expect(proxies, () => codes.FindSessionAsync(single, CancellationToken.None), CallKind.CodeRead);
        await Expect(proxies, () => codes.ReleaseAsync(pair, CancellationToken.None), CallKind.CodeRelease);
        var claim = (IdempotencyClaim.Claimed)await idempotency.ClaimAsync(Guid.NewGuid().ToString("N"), "fingerprint", CancellationToken.None);
        await Expect(proxies, () => idempotency.AbandonAsync(claim, CancellationToken.None), CallKind.Idempotency);
        await Expect(proxies, () => new SessionStore(tables).ListReservationsAsync(Session, CancellationToken.None), CallKind.SessionRead);
        await Expect(proxies, () => tables.SmsQueue.SendMessageAsync("{}"), CallKind.QueueSend);
        await Expect(proxies, () => tables.SmsQueue.ReceiveMessagesAsync(), CallKind.QueueOther);
        Save(proxies, "store");
    }

    [Fact]
    public async Task AppCalls_ReserveLookUpCancelAndSms_ShowEveryAppKind()
    {
        await using var proxied = await ProxiedApp.StartAsync(azurite);
        var app = proxied.App;
        Record(proxied.Proxies);

        using var created = await app.ReserveAsync(Session, new { name = "Kim", phone = Phone, partySize = 2, language = "en" }, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        using var lookup = await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone = Phone });
        using var cancel = await app.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone = Phone });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await WaitUntilAsync(() => proxied.Proxies.Tables.Recorded.Count(r => r.Kind == CallKind.SmsLog && r.Raw.AsSpan().StartsWith("PUT"u8)) >= 2);

        var seen = Recorded(proxied.Proxies).Select(r => r.Kind).ToHashSet();
        CallKind[] appKinds =
        [
            CallKind.Idempotency, CallKind.SessionRead, CallKind.CodeClaim, CallKind.SessionTransaction, CallKind.CodeRead,
            CallKind.SessionWrite, CallKind.SmsLog, CallKind.Limits, CallKind.QueueSend, CallKind.QueueOther,
        ];
        Assert.All(appKinds, kind => Assert.Contains(kind, seen));
        // The app's only other calls read the catalog, name a session in the outbox index (before a transaction that owes SMS),
        // hold a phone's day and count a code's failures (PhoneDays, CodeFailures), and claim address budgets (a table per day,
        // created and its old ones listed through the account's Tables resource).
        Assert.All(Recorded(proxied.Proxies).Where(r => r.Kind == CallKind.Other),
            r => Assert.Matches("^(Catalog|OutboxIndex|PhoneDays|CodeFailures|Tables|RateLimits[0-9]{8})$", CallClassifier.Table(StorageRequest.Parse(r.Raw)) ?? ""));
        Save(proxied.Proxies, "app");
    }

    private static void Record(FaultProxies proxies)
    {
        proxies.Tables.RecordRequests = true;
        proxies.Queues.RecordRequests = true;
    }

    private static List<RecordedRequest> Recorded(FaultProxies proxies) => [.. proxies.Tables.Recorded, .. proxies.Queues.Recorded];

    /// <summary>Runs one store call and asserts the requests it made are of the kinds given (all of them, nothing else).</summary>
    private async Task Expect(FaultProxies proxies, Func<Task> call, params CallKind[] kinds)
    {
        var (tables, queues) = (proxies.Tables.Recorded.Count, proxies.Queues.Recorded.Count);
        await call();
        var made = proxies.Tables.Recorded.Skip(tables).Concat(proxies.Queues.Recorded.Skip(queues)).ToList();
        foreach (var request in made)
        {
            output.WriteLine($"{request.Kind}: {Encoding.ASCII.GetString(request.Raw).Split("\r\n")[0]}");
        }

        Assert.NotEmpty(made);
        Assert.Equal(kinds.Order(), made.Select(r => r.Kind).Distinct().Order());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the SMS were not recorded as sent within 20 s");
            await Task.Delay(100);
        }
    }

    private static void Save(FaultProxies proxies, string prefix)
    {
        if (Environment.GetEnvironmentVariable("FR_PROXY_SAMPLES") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var (request, n) in Recorded(proxies).Select((r, n) => (r, n)))
        {
            File.WriteAllText(Path.Combine(folder, $"{prefix}-{n:D3}-{request.Kind}.http"), Encoding.UTF8.GetString(request.Raw).Replace("\r\n", "\n", StringComparison.Ordinal));
        }
    }
}
