using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FestivalReservations.Tests.Hardening;

/// <summary>
/// At least 100 hostile requests against every route (visitor, staff, SMS callback, pages): each gets a 4xx (problem details
/// where a route matched), never a 5xx, and the store is byte-for-byte the same afterwards.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostileInputTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task HostileCorpus_Every4xxNo5xx_StoreUnchanged()
    {
        await using var app = await RunningApp.StartAsync(azurite);
        var corpus = HostileRequests.All().Concat(HostileRequests.Staff(RunningApp.StaffKey)).ToList();
        Assert.True(corpus.Count >= 100, $"the corpus has {corpus.Count} requests");
        await app.Client.GetAsync("api/health");
        // The one write a refused request makes by design: a wrong phone for a code counts
        // against that code (CodeFailures), which is what stops guessing.
        var before = await StoreSnapshot.TakeAsync(azurite.ConnectionString, Core.Storage.CodeLockout.TableName);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var hostile in corpus)
        {
            using var response = await app.Client.SendAsync(hostile.ToMessage());
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or >= 500)
            {
                failures.Add($"{hostile}: {status} {body[..Math.Min(200, body.Length)]}");
            }
            else if (body.Length > 0 && type != "application/problem+json")
            {
                failures.Add($"{hostile}: {status} with {type}");
            }
            else if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            {
                failures.Add($"{hostile}: leaks internals");
            }
        }

        var after = await StoreSnapshot.TakeAsync(azurite.ConnectionString, Core.Storage.CodeLockout.TableName);
        output.WriteLine($"{corpus.Count} hostile requests, {failures.Count} failures; answers: {string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}"))}");
        Assert.Empty(failures);
        Assert.Equal(before, after);
    }
}
