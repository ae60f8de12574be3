using FestivalReservations.Core.Abuse;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Unit.Abuse;

public sealed class RateLimitTests
{
    private static ClientRateLimiter Limiter(int reserve = 100, int lookup = 100, int failed = 100) =>
        new(Options.Create(new RateLimitOptions { ReservationsPerMinute = reserve, LookupsPerMinute = lookup, FailedLookupsPerHour = failed }));

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
}
