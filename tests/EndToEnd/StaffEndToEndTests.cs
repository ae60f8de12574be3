using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Json;
using FestivalReservations.Tests.Infrastructure;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>The staff routes over real HTTP through devhost: keys, capacity, check-in, CSV, PATCH, catalog PUT.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StaffEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<JsonElement> ReserveAsync(string sessionId, int partySize, string name = "김민수", bool joinWaitlist = false, string? phone = null)
    {
        var response = await _app.ReserveAsync(sessionId,
            new { name, phone = phone ?? RunningApp.NewPhone(), partySize, language = "ko", joinWaitlist });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await JsonOf(response);
    }

    private async Task<JsonElement> CapacityOfAsync(string sessionId)
    {
        var response = await _app.Staff.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(RunningApp.OpenSunday, body.GetProperty("date").GetString());
        return body.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == sessionId);
    }

    private static void AssertProblem(HttpResponseMessage response, JsonElement body, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal(code, body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ErasureRuns_ListedForStaffOnly_NumbersAndTimes_BadLimitIsAProblem()
    {
        var tables = new FestivalReservations.Core.Storage.StorageTables(azurite.CreateTableServiceClient(), azurite.CreateQueueServiceClient());
        var runId = Guid.NewGuid().ToString("N");
        var at = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await new FestivalReservations.Core.Storage.ErasureRunStore(tables).SaveAsync(new FestivalReservations.Core.Privacy.ErasureRun(
            runId, at, at.AddSeconds(2), at.AddDays(-30), 4, 1, 0, 2000, new Dictionary<string, int> { ["reservations"] = 9, ["sms-log"] = 3 }), default);

        var listed = await _app.Staff.GetAsync("api/staff/erasure-runs?limit=100");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var run = (await JsonOf(listed)).EnumerateArray().Single(r => r.GetProperty("runId").GetString() == runId);
        Assert.Equal(("2099-01-02T03:04:05Z", "2098-12-03T03:04:05Z", 4, 1, 12, 9),
            (run.GetProperty("startedAt").GetString(), run.GetProperty("cutoff").GetString(), run.GetProperty("sessions").GetInt32(),
                run.GetProperty("sessionsFailed").GetInt32(), run.GetProperty("rowsErased").GetInt32(), run.GetProperty("rows").GetProperty("reservations").GetInt32()));

        await Problem.AssertAsync(await _app.Client.GetAsync("api/staff/erasure-runs"), HttpStatusCode.Unauthorized, "unauthorized");
        await Problem.AssertAsync(await _app.Staff.GetAsync("api/staff/erasure-runs?limit=0"), HttpStatusCode.BadRequest, "validation-failed");
        await Problem.AssertAsync(await _app.Staff.GetAsync("api/staff/erasure-runs?limit=ten"), HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task StaffRoute_WithoutKeyOrWithWrongKey_401Unauthorized()
    {
        var missing = await _app.Client.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}");
        AssertProblem(missing, await JsonOf(missing), HttpStatusCode.Unauthorized, "unauthorized");

        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"api/staff/capacity?date={RunningApp.OpenSunday}");
        wrong.Headers.Add("x-functions-key", "not-the-key");
        var wrongHeader = await _app.Client.SendAsync(wrong);
        AssertProblem(wrongHeader, await JsonOf(wrongHeader), HttpStatusCode.Unauthorized, "unauthorized");

        var wrongQuery = await _app.Client.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}&code=not-the-key");
        AssertProblem(wrongQuery, await JsonOf(wrongQuery), HttpStatusCode.Unauthorized, "unauthorized");

        var checkIn = await _app.Client.PostAsync("api/staff/reservations/K7M2-QX9P/check-in", null);
        Assert.Equal(HttpStatusCode.Unauthorized, checkIn.StatusCode);
        var patch = await _app.Client.PatchAsync("api/staff/sessions/bridge-yoga.20240908.1330", JsonContent.Create(new { capacity = 1 }));
        Assert.Equal(HttpStatusCode.Unauthorized, patch.StatusCode);
        var put = await _app.Client.PutAsync("api/staff/catalog", JsonContent.Create(new { festivalId = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);

        var rightQuery = await _app.Client.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}&code={RunningApp.StaffKey}");
        Assert.Equal(HttpStatusCode.OK, rightQuery.StatusCode);
    }

    [Fact]
    public async Task Reserve_CapacityShowsIt_CheckIn_SecondScan409WithFirstTime_CapacityShowsCheckedIn()
    {
        const string session = "bridge-yoga.20240908.1330";
        var before = await CapacityOfAsync(session);
        var reservation = await ReserveAsync(session, 2);
        var code = reservation.GetProperty("code").GetString()!;

        var after = await CapacityOfAsync(session);
        Assert.Equal(before.GetProperty("reserved").GetInt32() + 2, after.GetProperty("reserved").GetInt32());
        Assert.Equal(before.GetProperty("remaining").GetInt32() - 2, after.GetProperty("remaining").GetInt32());
        Assert.Equal("다리 위 요가", after.GetProperty("title").GetProperty("ko").GetString());

        var first = await _app.Staff.PostAsync($"api/staff/reservations/{code.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal)}/check-in", null);
        var firstBody = await JsonOf(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("checked-in", firstBody.GetProperty("status").GetString());
        var checkedInAt = firstBody.GetProperty("checkedInAt").GetString()!;
        Assert.EndsWith("Z", checkedInAt, StringComparison.Ordinal);

        var second = await _app.Staff.PostAsync($"api/staff/reservations/{code}/check-in", null);
        var secondBody = await JsonOf(second);
        AssertProblem(second, secondBody, HttpStatusCode.Conflict, "already-checked-in");
        Assert.Equal(checkedInAt, secondBody.GetProperty("checkedInAt").GetString());

        var end = await CapacityOfAsync(session);
        Assert.Equal(before.GetProperty("checkedIn").GetInt32() + 2, end.GetProperty("checkedIn").GetInt32());
        Assert.Equal(after.GetProperty("reserved").GetInt32(), end.GetProperty("reserved").GetInt32());

        var capacity = await JsonOf(await _app.Staff.GetAsync($"api/staff/capacity?date={RunningApp.OpenSunday}"));
        var totals = capacity.GetProperty("totals");
        var sessions = capacity.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(sessions.Sum(s => s.GetProperty("checkedIn").GetInt32()), totals.GetProperty("checkedIn").GetInt32());
        Assert.Equal(sessions.Sum(s => s.GetProperty("capacity").GetInt32()), totals.GetProperty("capacity").GetInt32());
        Assert.All(sessions, s => Assert.Equal("2024-09-08", s.GetProperty("date").GetString()));
    }

    [Fact]
    public async Task AttendeeCsv_HeaderRowBomAndKoreanNamesIntact_PhonesMasked()
    {
        const string session = "fountain-reading-nook.20240908.1400";
        var phone = RunningApp.NewPhone();
        await ReserveAsync(session, 2, "김민수", phone: phone);
        await ReserveAsync(session, 1, "-Lee Ann");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/staff/sessions/{session}/reservations");
        request.Headers.Add("Accept", "text/csv");
        var response = await _app.Staff.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = new UTF8Encoding(false).GetString(bytes[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("code,sessionId,start,status,partySize,name,phoneMasked", lines[0], StringComparison.Ordinal);
        var kim = Assert.Single(lines, l => l.Contains(",김민수,", StringComparison.Ordinal));
        Assert.Contains($"010-****-{phone[^4..]}", kim, StringComparison.Ordinal);
        Assert.Contains(",'-Lee Ann,", text, StringComparison.Ordinal);
        Assert.DoesNotContain(phone.Replace("-", "", StringComparison.Ordinal)[3..], text, StringComparison.Ordinal);

        var json = await JsonOf(await _app.Staff.GetAsync($"api/staff/sessions/{session}/reservations"));
        Assert.Contains(json.EnumerateArray(), r => r.GetProperty("name").GetString() == "김민수");
    }

    [Fact]
    public async Task PatchCapacityBelowReserved_409AndNothingChanges()
    {
        const string session = "hammock-rest.20240908.1300";
        await ReserveAsync(session, 2);
        var before = await CapacityOfAsync(session);

        var response = await _app.Staff.PatchAsync($"api/staff/sessions/{session}",
            JsonContent.Create(new { capacity = before.GetProperty("reserved").GetInt32() - 1, closed = true }));

        AssertProblem(response, await JsonOf(response), HttpStatusCode.Conflict, "capacity-below-reserved");
        var after = await CapacityOfAsync(session);
        Assert.Equal(before.GetProperty("capacity").GetInt32(), after.GetProperty("capacity").GetInt32());
        Assert.Equal(before.GetProperty("reserved").GetInt32(), after.GetProperty("reserved").GetInt32());
        Assert.Equal("open", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CatalogPut_AddsAProgram_ItsSessionsAppearInPrograms()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "catalog", "2024-autumn.json");
        var document = JsonSerializer.Deserialize<CatalogDocument>(await File.ReadAllTextAsync(file), JsonPolicies.Contract)!;
        var programId = $"lantern-{Guid.NewGuid():N}"[..16];
        var added = document with
        {
            Programs =
            [
                .. document.Programs,
                new ProgramDocument
                {
                    ProgramId = programId,
                    Theme = "art",
                    Title = new LocalizedText("등불 만들기", "Lantern making"),
                    Description = new LocalizedText("한지 등불을 만들어요.", "Make a paper lantern."),
                    Location = new LocalizedText("달빛광장", "Moonlight Square"),
                    DurationMinutes = 60,
                    MaxPartySize = 3,
                    Sessions = [new ScheduleDocument { Dates = [RunningApp.OpenSunday], Times = ["14:00", "16:00"], Capacity = 25 }],
                },
            ],
        };

        var response = await _app.Staff.PutAsync("api/staff/catalog", JsonContent.Create(added, options: JsonPolicies.Contract));
        var body = await JsonOf(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("programsAdded").GetInt32());
        Assert.Equal(2, body.GetProperty("sessionsAdded").GetInt32());
        var programs = await JsonOf(await _app.Client.GetAsync($"api/programs?date={RunningApp.OpenSunday}"));
        var program = Assert.Single(programs.EnumerateArray(), p => p.GetProperty("programId").GetString() == programId);
        var sessions = program.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal([$"{programId}.20240908.1400", $"{programId}.20240908.1600"], sessions.Select(s => s.GetProperty("sessionId").GetString()));
        Assert.All(sessions, s => Assert.Equal(25, s.GetProperty("remaining").GetInt32()));

        var booked = await ReserveAsync($"{programId}.20240908.1400", 3);
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Waitlist_JoinCancelPromoteOnCancelAndCapacityRaise_StatusesPositionsCounters()
    {
        const string session = "family-cycling-class.20240908.1400";
        var phones = Enumerable.Range(0, 5).Select(_ => RunningApp.NewPhone()).ToArray();
        var a = await ReserveAsync(session, 3, "가족 A", phone: phones[0]);
        var fill = await _app.Staff.PatchAsync($"api/staff/sessions/{session}",
            JsonContent.Create(new { capacity = (await CapacityOfAsync(session)).GetProperty("reserved").GetInt32() }));
        Assert.Equal(HttpStatusCode.OK, fill.StatusCode);
        Assert.Equal("full", (await JsonOf(fill)).GetProperty("status").GetString());

        var b = await ReserveAsync(session, 2, "가족 B", joinWaitlist: true, phone: phones[1]);
        var c = await ReserveAsync(session, 1, "가족 C", joinWaitlist: true, phone: phones[2]);
        Assert.Equal(("waitlisted", 1), (b.GetProperty("status").GetString(), b.GetProperty("waitlistPosition").GetInt32()));
        Assert.Equal(2, c.GetProperty("waitlistPosition").GetInt32());
        var board = await CapacityOfAsync(session);
        Assert.Equal(3, board.GetProperty("waitlisted").GetInt32());

        // The waitlist holds as many people as the session has seats (3): one more is refused.
        var over = await _app.ReserveAsync(session, new { name = "가족 D", phone = phones[3], partySize = 1, joinWaitlist = true });
        AssertProblem(over, await JsonOf(over), HttpStatusCode.Conflict, "session-full");

        var list = await JsonOf(await _app.Staff.GetAsync($"api/staff/sessions/{session}/reservations"));
        Assert.Equal([1, 2], list.EnumerateArray().Where(r => r.GetProperty("status").GetString() == "waitlisted")
            .Select(r => r.GetProperty("waitlistPosition").GetInt32()));

        // B leaves the line: C moves up; D now fits on the list behind C.
        var leave = await _app.Client.PostAsync($"api/reservations/{b.GetProperty("code").GetString()}/cancel", JsonContent.Create(new { phone = phones[1] }));
        Assert.Equal(HttpStatusCode.OK, leave.StatusCode);
        var cNow = await JsonOf(await _app.Client.PostAsync($"api/reservations/{c.GetProperty("code").GetString()}/lookup", JsonContent.Create(new { phone = phones[2] })));
        Assert.Equal(1, cNow.GetProperty("waitlistPosition").GetInt32());
        var d = await ReserveAsync(session, 2, "가족 D", joinWaitlist: true, phone: phones[3]);
        Assert.Equal(2, d.GetProperty("waitlistPosition").GetInt32());

        // A cancels: its 3 seats go to C (1) and D (2) in the same transaction.
        var cancel = await _app.Client.PostAsync($"api/reservations/{a.GetProperty("code").GetString()}/cancel", JsonContent.Create(new { phone = phones[0] }));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        foreach (var (reservation, phone) in new[] { (c, phones[2]), (d, phones[3]) })
        {
            var now = await JsonOf(await _app.Client.PostAsync($"api/reservations/{reservation.GetProperty("code").GetString()}/lookup", JsonContent.Create(new { phone })));
            Assert.Equal("confirmed", now.GetProperty("status").GetString());
            Assert.False(now.TryGetProperty("waitlistPosition", out _));
        }

        board = await CapacityOfAsync(session);
        Assert.Equal(0, board.GetProperty("waitlisted").GetInt32());
        Assert.Equal(board.GetProperty("capacity").GetInt32(), board.GetProperty("reserved").GetInt32());

        // Full again: E waits; raising capacity by 3 promotes E.
        var e = await ReserveAsync(session, 3, "가족 E", joinWaitlist: true, phone: phones[4]);
        Assert.Equal(1, e.GetProperty("waitlistPosition").GetInt32());
        var raise = await _app.Staff.PatchAsync($"api/staff/sessions/{session}",
            JsonContent.Create(new { capacity = board.GetProperty("capacity").GetInt32() + 3 }));
        var raised = await JsonOf(raise);
        Assert.Equal(HttpStatusCode.OK, raise.StatusCode);
        Assert.Equal(0, raised.GetProperty("waitlisted").GetInt32());
        Assert.Equal(raised.GetProperty("capacity").GetInt32(), raised.GetProperty("reserved").GetInt32());
        var eNow = await JsonOf(await _app.Client.PostAsync($"api/reservations/{e.GetProperty("code").GetString()}/lookup", JsonContent.Create(new { phone = phones[4] })));
        Assert.Equal("confirmed", eNow.GetProperty("status").GetString());
    }
}
