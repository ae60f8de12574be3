using FestivalReservations.Core.Abuse;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Abuse;

public sealed class RateLimitTests
{
    private static ClientRateLimiter Limiter(int reserve = 100, int lookup = 100, int failed = 100) =>
        new InMemoryBudgetLedger().Limiter(new RateLimitOptions { ReservationsPerMinute = reserve, LookupsPerMinute = lookup, FailedLookupsPerHour = failed });

    [Fact]
    public void Check_OverTheReservationBudget_AsksToWait()
    {
        using var limiter = Limiter(reserve: 3);
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limiter.Check(LimitedAction.Reserve, "203.0.113.7")));

        var wait = limiter.Check(LimitedAction.Reserve, "203.0.113.7");

        Assert.NotNull(wait);
        Assert.True(wait > TimeSpan.Zero);
        Assert.Null(limiter.Check(LimitedAction.Reserve, "203.0.113.8"));
        Assert.Null(limiter.Check(LimitedAction.Lookup, "203.0.113.7"));
    }

    [Fact]
    public void Check_AfterTooManyFailedLookups_LookupsRefusedButReservingStillWorks()
    {
        using var limiter = Limiter(failed: 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(limiter.Check(LimitedAction.Lookup, "198.51.100.1"));
            limiter.RecordFailedLookup("198.51.100.1");
        }

        Assert.NotNull(limiter.Check(LimitedAction.Lookup, "198.51.100.1"));
        Assert.Null(limiter.Check(LimitedAction.Reserve, "198.51.100.1"));
        Assert.Null(limiter.Check(LimitedAction.Lookup, "198.51.100.2"));
    }

    [Fact]
    public async Task CreateReservation_OverTheLimit_429WithRetryAfterAndNothingStored()
    {
        var api = new VisitorApi { Limiter = Limiter(reserve: 1) };
        var body = """{"name":"Kim","phone":"010-2222-3333","partySize":1}""";
        var first = await api.CreateAsync(TestCatalog.SundayParade, body);
        var commits = api.Commits;

        var second = await api.CreateAsync(TestCatalog.SundayParade, body.Replace("3333", "4444"));

        Assert.Equal(201, first.Status);
        ProblemAssert.Problem(second, 429, "too-many-requests");
        Assert.True(int.Parse(second.Header("Retry-After")) >= 1);
        Assert.Equal(commits, api.Commits);
    }

    [Fact]
    public async Task Lookup_RepeatedWrongGuesses_Slowed()
    {
        var api = new VisitorApi { Limiter = Limiter(failed: 3) };
        for (var i = 0; i < 3; i++)
        {
            ProblemAssert.Problem(await api.LookupAsync($"ABCD-EFG{i}", """{"phone":"010-2222-3333"}"""), 404, "not-found");
        }

        ProblemAssert.Problem(await api.LookupAsync("ABCD-EFGH", """{"phone":"010-2222-3333"}"""), 429, "too-many-requests");
    }

    [Fact]
    public async Task CreateReservation_RotatingForwardedPorts_DoNotEscapeTheLimit()
    {
        var api = new VisitorApi { Limiter = HopLimiter(reserve: 8) };
        var statuses = new List<int>();
        for (var port = 40000; port < 40004; port++)
        {
            var response = await api.CreateAsync(TestCatalog.SundayParade, VisitorApi.Body(phone: $"010-2222-{port % 10000:D4}", partySize: 1),
                headers: new Dictionary<string, string> { ["X-Forwarded-For"] = $"192.0.2.1, 203.0.113.7:{port}" });
            statuses.Add(response.Status);
        }

        // 8 a minute is 2 a window: the ports are one client.
        Assert.Equal([201, 201, 429, 429], statuses);
        var other = await api.CreateAsync(TestCatalog.SundayParade, VisitorApi.Body(phone: "010-2222-9999", partySize: 1),
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.8:40000" });
        Assert.Equal(201, other.Status);
    }

    [Fact]
    public async Task Lookup_RotatingIpv6AddressesWithinASlash64_DoNotEscapeTheLimit()
    {
        var api = new VisitorApi { Limiter = HopLimiter(lookup: 8) };
        var statuses = new List<int>();
        foreach (var address in new[] { "[2001:db8:77:1::1]:443", "2001:db8:77:1:ffff::2", "[2001:db8:77:1:1234:5678:9abc:def0]:1", "2001:db8:77:1::beef" })
        {
            var response = await api.LookupAsync("ABCD-EFGH", VisitorApi.PhoneBody("010-2222-3333"),
                headers: new Dictionary<string, string> { ["X-Forwarded-For"] = address });
            statuses.Add(response.Status);
        }

        Assert.Equal([404, 404, 429, 429], statuses);
        var otherNetwork = await api.LookupAsync("ABCD-EFGH", VisitorApi.PhoneBody("010-2222-3333"),
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "2001:db8:77:2::1" });
        Assert.Equal(404, otherNetwork.Status);
    }

    [Fact]
    public async Task CreateReservation_ClientSentForwardedForWithZeroHops_Ignored()
    {
        var api = new VisitorApi { Limiter = new InMemoryBudgetLedger().Limiter(new RateLimitOptions { ReservationsPerMinute = 8 }) };
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var response = await api.CreateAsync(TestCatalog.SundayParade, VisitorApi.Body(phone: $"010-2222-{4000 + i}", partySize: 1),
                headers: new Dictionary<string, string> { ["X-Forwarded-For"] = $"203.0.113.{i + 1}" });
            statuses.Add(response.Status);
        }

        Assert.Equal([201, 201, 429], statuses);
    }

    private static ClientRateLimiter HopLimiter(int reserve = 10_000, int lookup = 10_000) =>
        new InMemoryBudgetLedger().Limiter(new RateLimitOptions
        {
            ReservationsPerMinute = reserve,
            LookupsPerMinute = lookup,
            FailedLookupsPerHour = 10_000,
            TrustedProxyHops = 1,
        });
}
