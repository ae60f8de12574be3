using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Json;
using FestivalReservations.Testing;
using FestivalReservations.Testing.FaultInjection;
using FestivalReservations.Tests.EndToEnd.OpenApi;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Testing.FaultInjection;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>
/// One compact journey that calls every operation in openapi.json through RunningApp's checking clients (a visitor books,
/// looks up, uses the ticket and cancels; staff watch, check in, cancel, resize, put a catalog with a lottery, draw it; the
/// pages, the SMS callback, health and the document itself), then says which operations and statuses ran. It runs on its
/// own app, so it does not depend on which other test classes ran or in which order.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class OpenApiCoverageTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Picnic = "picnic-zone.20240908.1300";
    private const string Parade = "mask-parade.20240908.1400";

    [Fact]
    public async Task Journey_CallsEveryDocumentedOperation_AndEveryResponseMeetsTheDocument()
    {
        var (catalog, lottery) = await CatalogWithALotteryAsync();
        await using var app = await RunningApp.StartAsync(azurite, new Dictionary<string, string?> { ["Festival:CatalogFile"] = catalog.File });

        await PagesAndOpsAsync(app);
        await VisitorAsync(app);
        await StaffAsync(app, catalog.Document);
        await LotteryAsync(app, lottery);

        var report = Report(app.OpenApiCheck);
        output.WriteLine(report);
        var missed = OpenApiContract.Document.Operations.Where(o => !app.OpenApiCheck.Exercised.Keys.Any(k => k.OperationId == o.OperationId)).ToList();
        Assert.True(missed.Count == 0, $"operations no journey called: {string.Join(", ", missed)}\n{report}");
        Assert.Empty(app.OpenApiCheck.Violations);
    }

    /// <summary>With every storage call answered 503, what the app says is documented too (health's 503 body, the problems).</summary>
    [Fact]
    public async Task StorageDown_EveryResponseStillMeetsTheDocument()
    {
        await using var proxied = await ProxiedApp.StartAsync(azurite);
        var app = proxied.App;
        var (reservation, phone) = await ReserveAsync(app, Picnic);
        foreach (var kind in Enum.GetValues<CallKind>())
        {
            proxied.Proxies.Add(FaultRule.Always(kind, Fault.Status503));
        }

        using (var health = await app.Client.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await Problem.AssertAsync(await app.ReserveAsync(Picnic, new { name = "저장소 장애", phone = RunningApp.NewPhone(), partySize = 1 }), HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        var code = reservation.GetProperty("code").GetString()!;
        var ticket = reservation.GetProperty("ticketUrl").GetString()!["/t/".Length..];
        // Whatever each answers (a cached read may still succeed), it must be a documented status and body.
        (await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone })).Dispose();
        (await app.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone })).Dispose();
        (await app.Client.GetAsync($"api/tickets/{ticket}")).Dispose();
        (await app.Client.GetAsync($"api/sessions/{Picnic}")).Dispose();
        (await app.Client.GetAsync($"api/programs?date={RunningApp.OpenSunday}")).Dispose();
        (await app.Staff.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}")).Dispose();
        (await app.Staff.PostAsync($"api/staff/reservations/{code}/check-in", null)).Dispose();
        proxied.Proxies.ClearRules();
        Assert.Empty(app.OpenApiCheck.Violations);
    }

    /// <summary>
    /// The shipped catalog under a festival id of its own (catalogs are shared by every app on the Azurite; a staff PUT here
    /// must not meet other tests' programs) plus a lottery whose entries close seconds after the pinned clock, which runs on
    /// from the app's start, so the draw can run in the test.
    /// </summary>
    private static async Task<((string File, CatalogDocument Document) Catalog, string LotterySession)> CatalogWithALotteryAsync()
    {
        var shipped = JsonSerializer.Deserialize<CatalogDocument>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, AppSettings.ShippedCatalog)), JsonPolicies.Contract)!;
        var closes = RunningApp.PinnedNow.AddSeconds(8).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        var document = shipped with
        {
            FestivalId = $"openapi-{Guid.NewGuid():N}"[..20],
            Programs =
            [
                .. shipped.Programs,
                new ProgramDocument
                {
                    ProgramId = "lottery-show",
                    Theme = "art",
                    Title = new LocalizedText("추첨 공연", "Lottery show"),
                    Description = new LocalizedText("추첨으로 자리를 정해요.", "Seats are drawn."),
                    Location = new LocalizedText("달빛광장", "Moonlight Square"),
                    DurationMinutes = 60,
                    MaxPartySize = 4,
                    Allocation = "lottery",
                    Lottery = new LotteryDocument("2024-09-01T10:00:00+09:00", closes, "2024-09-03T12:00:00+09:00"),
                    Sessions = [new ScheduleDocument { Dates = [RunningApp.OpenSunday], Times = ["15:00"], Capacity = 10 }],
                },
            ],
        };
        var file = Path.Combine(Path.GetTempPath(), $"openapi-catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(document, JsonPolicies.Contract));
        return ((file, document), "lottery-show.20240908.1500");
    }

    private static async Task PagesAndOpsAsync(RunningApp app)
    {
        foreach (var path in new[] { "api/health", "api/openapi.json", "api/festival", $"api/programs?date={RunningApp.OpenSunday}", "", "staff-sw.js" })
        {
            await OkAsync(app.Client.GetAsync(path));
        }

        var staffPage = await OkAsync(app.Client.GetAsync("staff"));
        var asset = AssetLink().Match(staffPage).Value;
        Assert.NotEmpty(asset);
        await OkAsync(app.Client.GetAsync(asset.TrimStart('/')));
        await Problem.AssertAsync(await app.Client.GetAsync("assets/no-such-file.js"), HttpStatusCode.NotFound, "not-found");
        foreach (var path in new[] { "", "staff", "staff-sw.js", asset.TrimStart('/') })
        {
            await OkAsync(app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path)));
        }

        using var unknownAsset = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "assets/no-such-file.js"));
        Assert.Equal(HttpStatusCode.NotFound, unknownAsset.StatusCode);
        await Problem.AssertAsync(await app.Client.GetAsync("api/programs?date=someday"), HttpStatusCode.BadRequest, "validation-failed");
        await Problem.AssertAsync(await app.Client.GetAsync("api/sessions/no-such.20240908.1500"), HttpStatusCode.NotFound, "not-found");
        // Unsigned: refused, as anything not from Twilio is.
        using var callback = await app.Client.PostAsync("api/sms/status", new FormUrlEncodedContent(new Dictionary<string, string> { ["MessageStatus"] = "delivered" }));
        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
    }

    private static async Task VisitorAsync(RunningApp app)
    {
        await OkAsync(app.Client.GetAsync($"api/sessions/{Parade}"));
        var (kept, keptPhone) = await ReserveAsync(app, Picnic);
        var code = kept.GetProperty("code").GetString()!;
        await OkAsync(app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone = keptPhone }));
        await Problem.AssertAsync(await app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone = RunningApp.NewPhone() }), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await app.ReserveAsync(Picnic, new { name = "중복", phone = keptPhone, partySize = 1 }), HttpStatusCode.Conflict, "duplicate-reservation");
        await Problem.AssertAsync(await app.ReserveAsync(Picnic, new { name = "", phone = RunningApp.NewPhone(), partySize = 1 }), HttpStatusCode.BadRequest, "validation-failed");

        var ticket = kept.GetProperty("ticketUrl").GetString()!["/t/".Length..];
        await OkAsync(app.Client.GetAsync($"api/tickets/{ticket}"));
        await OkAsync(app.Client.GetAsync($"api/tickets/{ticket}/qr"));
        await OkAsync(app.Client.GetAsync($"t/{ticket}"));
        await OkAsync(app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"t/{ticket}")));
        await OkAsync(app.Client.PostAsJsonAsync($"api/tickets/{ticket}/reminders", new { enabled = false }));
        await Problem.AssertAsync(await app.Client.GetAsync($"api/tickets/{ticket[..^1]}{(ticket[^1] == '0' ? '1' : '0')}"), HttpStatusCode.NotFound, "not-found");

        var (byTicket, _) = await ReserveAsync(app, Picnic);
        await OkAsync(app.Client.PostAsync($"api/tickets/{byTicket.GetProperty("ticketUrl").GetString()!["/t/".Length..]}/cancel", null));
        var (byPhone, phone) = await ReserveAsync(app, Picnic);
        var cancelled = byPhone.GetProperty("code").GetString()!;
        await OkAsync(app.Client.PostAsJsonAsync($"api/reservations/{cancelled}/cancel", new { phone }));
        await Problem.AssertAsync(await app.Client.PostAsJsonAsync($"api/reservations/{cancelled}/cancel", new { phone }), HttpStatusCode.Conflict, "already-cancelled");
    }

    private static async Task StaffAsync(RunningApp app, CatalogDocument catalog)
    {
        await OkAsync(app.Staff.PutAsync("api/staff/catalog", JsonContent.Create(catalog, options: JsonPolicies.Contract)));
        var (reservation, _) = await ReserveAsync(app, Parade, partySize: 2);
        var code = reservation.GetProperty("code").GetString()!;
        await OkAsync(app.Staff.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}"));
        await Problem.AssertAsync(await app.Client.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}"), HttpStatusCode.Unauthorized, "unauthorized");
        await OkAsync(app.Staff.GetAsync($"api/staff/sessions/{Parade}/reservations"));
        using (var csv = new HttpRequestMessage(HttpMethod.Get, $"api/staff/sessions/{Parade}/reservations"))
        {
            csv.Headers.Accept.ParseAdd("text/csv");
            await OkAsync(app.Staff.SendAsync(csv));
        }

        await OkAsync(app.Staff.PostAsync($"api/staff/reservations/{code}/check-in", null));
        await Problem.AssertAsync(await app.Staff.PostAsync($"api/staff/reservations/{code}/check-in", null), HttpStatusCode.Conflict, "already-checked-in");
        var (other, _) = await ReserveAsync(app, Parade);
        await OkAsync(app.Staff.PostAsJsonAsync($"api/staff/reservations/{other.GetProperty("code").GetString()}/cancel", new { reason = "coverage" }));
        await OkAsync(app.Staff.PatchAsJsonAsync($"api/staff/sessions/{Parade}", new { capacity = 60 }));
        await Problem.AssertAsync(await app.Staff.PatchAsJsonAsync($"api/staff/sessions/{Parade}", new { capacity = 1 }), HttpStatusCode.Conflict, "capacity-below-reserved");
        await OkAsync(app.Staff.GetAsync("api/staff/sms"));
        await Problem.AssertAsync(await app.Staff.PostAsync($"api/staff/sms/{Guid.NewGuid():N}/retry", null), HttpStatusCode.NotFound, "not-found");
        await OkAsync(app.Staff.GetAsync("api/staff/erasure-runs"));
        await OkAsync(app.Staff.GetAsync("api/staff/tickets/day-keys"));
    }

    private static async Task LotteryAsync(RunningApp app, string sessionId)
    {
        await Problem.AssertAsync(await app.Staff.PostAsync($"api/staff/sessions/{sessionId}/draw", null), HttpStatusCode.Conflict, "draw-not-due");
        var (entry, _) = await ReserveAsync(app, sessionId);
        Assert.Equal("entered", entry.GetProperty("status").GetString());

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        HttpResponseMessage drawn;
        while ((drawn = await app.Staff.PostAsync($"api/staff/sessions/{sessionId}/draw", null)).StatusCode == HttpStatusCode.Conflict && DateTimeOffset.UtcNow < deadline)
        {
            drawn.Dispose();
            await Task.Delay(500);
        }

        await OkAsync(Task.FromResult(drawn));
        await OkAsync(app.Client.GetAsync($"api/sessions/{sessionId}/draw"));
        await OkAsync(app.Client.GetAsync($"api/sessions/{sessionId}"));
    }

    private static async Task<(JsonElement Reservation, string Phone)> ReserveAsync(RunningApp app, string sessionId, int partySize = 1)
    {
        var phone = RunningApp.NewPhone();
        using var response = await app.ReserveAsync(sessionId, new { name = "문서 점검", phone, partySize, language = "en" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, phone);
    }

    private static async Task<string> OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static string Report(OpenApiCheckingHandler check)
    {
        var lines = OpenApiContract.Document.Operations.Select(o =>
        {
            var ran = check.Exercised.Where(e => e.Key.OperationId == o.OperationId).OrderBy(e => e.Key.Status).Select(e => $"{e.Key.Status}×{e.Value}").ToList();
            var untried = o.Responses.Keys.Where(s => !check.Exercised.Keys.Any(k => k.OperationId == o.OperationId && k.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) == s));
            return $"{o,-70} ran {(ran.Count == 0 ? "nothing" : string.Join(" ", ran))}; documented, not exercised here: {string.Join(" ", untried)}";
        });
        return "openapi.json coverage of this journey:\n" + string.Join('\n', lines);
    }

    [GeneratedRegex("/assets/[A-Za-z0-9._-]+")]
    private static partial Regex AssetLink();
}
