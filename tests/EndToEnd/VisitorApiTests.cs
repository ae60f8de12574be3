using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>The visitor half of the contract, over real HTTP through devhost, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class VisitorApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Sessions of the shipped catalog this class books into (other classes use others).
    private const string PicnicSep8 = "picnic-zone.20240908.1700";
    private const string HammockSep8 = "hammock-rest.20240908.1900";
    private const string YogaSep22 = "bridge-yoga.20240922.1330";
    private const string YogaSep1 = "bridge-yoga.20240901.1330";

    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Health_StorageReachable_Ok()
    {
        var body = await _app.Client.GetFromJsonAsync<JsonElement>("api/health");
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Festival_ShippedCatalog_EightSundaysWithoutChuseok()
    {
        var body = await _app.Client.GetFromJsonAsync<JsonElement>("api/festival");
        var dates = body.GetProperty("dates").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Equal(8, dates.Count);
        Assert.DoesNotContain("2024-09-15", dates);
        Assert.Equal("Asia/Seoul", body.GetProperty("timeZone").GetString());
        Assert.Equal("13:00", body.GetProperty("openingHours").GetProperty("start").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("name").GetProperty("ko").GetString()));
    }

    [Fact]
    public async Task Programs_FilteredByDateAndTheme_OnlyThoseSessions()
    {
        var programs = await _app.Client.GetFromJsonAsync<JsonElement>($"api/programs?date={RunningApp.OpenSunday}&theme=relaxation");
        Assert.True(programs.GetArrayLength() >= 2);
        foreach (var program in programs.EnumerateArray())
        {
            Assert.Equal("relaxation", program.GetProperty("theme").GetString());
            foreach (var session in program.GetProperty("sessions").EnumerateArray())
            {
                Assert.Equal(RunningApp.OpenSunday, session.GetProperty("date").GetString());
                Assert.EndsWith("+09:00", session.GetProperty("start").GetString(), StringComparison.Ordinal);
                Assert.Equal("2024-09-02T10:00:00+09:00", session.GetProperty("bookingOpensAt").GetString());
                Assert.Contains(session.GetProperty("status").GetString(), new[] { "open", "full" });
            }
        }

        var all = await _app.Client.GetFromJsonAsync<JsonElement>("api/programs");
        Assert.Equal(4, all.EnumerateArray().Select(p => p.GetProperty("theme").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData("api/programs?date=2024-9-8")]
    [InlineData("api/programs?theme=music")]
    public async Task Programs_BadFilter_ValidationFailed(string url) =>
        await Problem.AssertAsync(await _app.Client.GetAsync(url), HttpStatusCode.BadRequest, "validation-failed");

    [Fact]
    public async Task Session_Known_WithProgram_AndUnknown404()
    {
        var session = await _app.Client.GetFromJsonAsync<JsonElement>($"api/sessions/{PicnicSep8}");
        Assert.Equal("picnic-zone", session.GetProperty("program").GetProperty("programId").GetString());
        Assert.Equal("2024-09-08T17:00:00+09:00", session.GetProperty("start").GetString());
        Assert.Equal("2024-09-08T17:00:00+09:00", session.GetProperty("bookingClosesAt").GetString());

        await Problem.AssertAsync(await _app.Client.GetAsync("api/sessions/no-such.20240908.1500"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Reserve_LookUp_Cancel_WholeJourney()
    {
        var phone = RunningApp.NewPhone();
        var created = await _app.ReserveAsync(PicnicSep8, new { name = "김하늘", phone, partySize = 3, language = "en" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reservation = await created.Content.ReadFromJsonAsync<JsonElement>();
        var code = reservation.GetProperty("code").GetString()!;
        Assert.Matches(CodeFormat(), code);
        Assert.Equal($"/api/reservations/{code}", created.Headers.Location?.OriginalString);
        Assert.Equal("confirmed", reservation.GetProperty("status").GetString());
        Assert.Equal(3, reservation.GetProperty("partySize").GetInt32());
        Assert.Equal("en", reservation.GetProperty("language").GetString());
        Assert.Matches(@"^010-\*{4}-\d{4}$", reservation.GetProperty("phoneMasked").GetString()!);
        Assert.EndsWith("Z", reservation.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        Assert.Equal("Picnic Zone", reservation.GetProperty("programTitle").GetProperty("en").GetString());

        // Lower case, no hyphen and another phone form still find it.
        var lookup = await _app.Client.PostAsJsonAsync($"api/reservations/{code.Replace("-", "").ToLowerInvariant()}/lookup",
            new { phone = "+82 " + phone[1..].Replace('-', ' ') });
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(code, (await lookup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var before = await RemainingAsync(PicnicSep8);
        var cancel = await _app.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.EndsWith("Z", cancelled.GetProperty("cancelledAt").GetString(), StringComparison.Ordinal);
        await Task.Delay(1100); // the read routes cache counters for one second
        Assert.Equal(before + 3, await RemainingAsync(PicnicSep8));

        await Problem.AssertAsync(await _app.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone }),
            HttpStatusCode.Conflict, "already-cancelled");
    }

    [Fact]
    public async Task Lookup_WrongPhone_LooksLikeUnknownCode()
    {
        var phone = RunningApp.NewPhone();
        var created = await _app.ReserveAsync(PicnicSep8, new { name = "Lee", phone, partySize = 1 });
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

        var wrongPhone = await Problem.AssertAsync(
            await _app.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone = "010-0000-0001" }), HttpStatusCode.NotFound, "not-found");
        var unknownCode = await Problem.AssertAsync(
            await _app.Client.PostAsJsonAsync("api/reservations/ZZZZ-ZZZZ/lookup", new { phone }), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(unknownCode.GetRawText(), wrongPhone.GetRawText());
    }

    [Fact]
    public async Task Reserve_BadInput_ProblemCodesAndNothingStored()
    {
        var before = await RemainingAsync(PicnicSep8);
        await Problem.AssertAsync(await _app.ReserveAsync(PicnicSep8, new { name = "Kim", phone = "02-312-3456", partySize = 1 }),
            HttpStatusCode.BadRequest, "invalid-phone");
        var missing = await Problem.AssertAsync(await _app.ReserveAsync(PicnicSep8, new { name = " ", phone = RunningApp.NewPhone(), partySize = 9 }),
            HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(missing.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(missing.GetProperty("errors").TryGetProperty("partySize", out _));
        await Problem.AssertAsync(await _app.ReserveAsync(PicnicSep8, new { name = "Kim", phone = RunningApp.NewPhone(), partySize = 1, vip = true }),
            HttpStatusCode.BadRequest, "validation-failed");
        await Problem.AssertAsync(await _app.Client.PostAsync($"api/sessions/{PicnicSep8}/reservations",
            new StringContent("{\"name\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "validation-failed");
        await Problem.AssertAsync(await _app.Client.PostAsync($"api/sessions/{PicnicSep8}/reservations",
            new StringContent(new string('x', 17 * 1024), Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        await Problem.AssertAsync(await _app.ReserveAsync("no-such.20240908.1500", new { name = "Kim", phone = RunningApp.NewPhone(), partySize = 1 }),
            HttpStatusCode.NotFound, "not-found");

        await Task.Delay(1100);
        Assert.Equal(before, await RemainingAsync(PicnicSep8));
    }

    [Fact]
    public async Task Reserve_OutsideTheWindow_NotOpenOrClosed()
    {
        var notOpen = await Problem.AssertAsync(await _app.ReserveAsync(YogaSep22, new { name = "Park", phone = RunningApp.NewPhone(), partySize = 1 }),
            (HttpStatusCode)422, "booking-not-open");
        Assert.Equal("2024-09-16T10:00:00+09:00", notOpen.GetProperty("bookingOpensAt").GetString());
        await Problem.AssertAsync(await _app.ReserveAsync(YogaSep1, new { name = "Park", phone = RunningApp.NewPhone(), partySize = 1 }),
            (HttpStatusCode)422, "booking-closed");
    }

    [Fact]
    public async Task Reserve_FullSessionAndDuplicatePhone_Conflicts()
    {
        var phone = RunningApp.NewPhone();
        Assert.Equal(HttpStatusCode.Created, (await _app.ReserveAsync(HammockSep8, new { name = "Choi", phone, partySize = 2 })).StatusCode);
        await Problem.AssertAsync(await _app.ReserveAsync(HammockSep8, new { name = "Choi", phone = phone.Replace("-", ""), partySize = 1 }),
            HttpStatusCode.Conflict, "duplicate-reservation");

        // Fill what is left, then one more is refused.
        for (var i = 0; i < 20; i++)
        {
            var r = await _app.ReserveAsync(HammockSep8, new { name = $"Guest {i}", phone = RunningApp.NewPhone(), partySize = 2 });
            if (r.StatusCode == HttpStatusCode.Conflict)
            {
                break;
            }
        }

        var full = await Problem.AssertAsync(await _app.ReserveAsync(HammockSep8, new { name = "Late", phone = RunningApp.NewPhone(), partySize = 1 }),
            HttpStatusCode.Conflict, "session-full");
        Assert.Contains("0 remaining", full.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reserve_SameIdempotencyKey_ReplaysOnce_OtherBodyRefused()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { name = "정다은", phone = RunningApp.NewPhone(), partySize = 2 };
        var first = await _app.ReserveAsync(PicnicSep8, body, key);
        var second = await _app.ReserveAsync(PicnicSep8, body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        await Problem.AssertAsync(await _app.ReserveAsync(PicnicSep8, body with { partySize = 1 }, key),
            (HttpStatusCode)422, "idempotency-key-reused");
    }

    [Fact]
    public async Task Cancel_AfterTheSessionStarted_CancellationClosed()
    {
        var phone = RunningApp.NewPhone();
        var created = await _app.ReserveAsync(PicnicSep8, new { name = "Han", phone, partySize = 1 });
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

        // A second app instance whose clock reads Sunday 17:30, after the session started.
        await using var later = await RunningApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Festival:Now"] = "2024-09-08T17:30:00+09:00",
        });
        await Problem.AssertAsync(await later.Client.PostAsJsonAsync($"api/reservations/{code}/cancel", new { phone }),
            (HttpStatusCode)422, "cancellation-closed");
        var still = await later.Client.PostAsJsonAsync($"api/reservations/{code}/lookup", new { phone });
        Assert.Equal("confirmed", (await still.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    private async Task<int> RemainingAsync(string sessionId) =>
        (await _app.Client.GetFromJsonAsync<JsonElement>($"api/sessions/{sessionId}")).GetProperty("remaining").GetInt32();

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex CodeFormat();
}
