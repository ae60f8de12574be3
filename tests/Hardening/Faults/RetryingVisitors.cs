using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace FestivalReservations.Tests.Hardening.Faults;

/// <summary>One answer a visitor got (0: no answer, the request failed or timed out).</summary>
public sealed record VisitorAnswer(int Status, string? Code, string? ProblemCode, bool HasRetryAfter, string? Error)
{
    public override string ToString() => $"{Status} {ProblemCode ?? Code ?? Error}";
}

/// <summary>A visitor with a phone and an Idempotency-Key of their own, and every answer they got, in order.</summary>
public sealed class Visitor(string phone, string key)
{
    public string Phone { get; } = phone;

    public string Key { get; } = key;

    public List<VisitorAnswer> Answers { get; } = [];

    public VisitorAnswer? Final => Answers.Count > 0 ? Answers[^1] : null;

    /// <summary>Storage trouble or no answer: what a client retries with the same key.</summary>
    public static bool IsRetryable(VisitorAnswer a) => a.Status is 0 or 503;
}

/// <summary>
/// Visitors booking one session, each once, as a careful client does: a 503 or a request that
/// fails or times out is retried with the same Idempotency-Key after a jittered exponential pause, until
/// a final answer (or <c>maxTries</c>). The jitter comes from a seeded generator so a run can be replayed.
/// </summary>
public static class RetryingVisitors
{
    public static async Task<IReadOnlyList<Visitor>> RunAsync(
        HttpClient client, string sessionId, IReadOnlyList<string> phones, int concurrency, int maxTries, int seed)
    {
        var random = new Random(seed);
        var visitors = phones.Select((p, i) => new Visitor(p, $"fault-{seed}-{i}")).ToList();
        var jitter = new ConcurrentQueue<int>(Enumerable.Range(0, visitors.Count * maxTries).Select(_ => random.Next(0, 200)));
        await Parallel.ForEachAsync(visitors, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (visitor, _) =>
        {
            for (var attempt = 0; attempt < maxTries; attempt++)
            {
                var answer = await ReserveAsync(client, sessionId, visitor);
                visitor.Answers.Add(answer);
                if (!Visitor.IsRetryable(answer))
                {
                    return;
                }

                // Exponential back-off to 2 s: a careful client keeps trying for longer than a
                // claim left pending by a request that died can stay pending (30 s).
                await Task.Delay(Math.Min(2_000, 100 << Math.Min(attempt, 5)) + (jitter.TryDequeue(out var ms) ? ms : 100));
            }
        });
        return visitors;
    }

    private static async Task<VisitorAnswer> ReserveAsync(HttpClient client, string sessionId, Visitor visitor)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/sessions/{sessionId}/reservations")
            {
                Content = JsonContent.Create(new { name = "Fault Visitor", phone = visitor.Phone, partySize = 1, language = "en" }),
            };
            request.Headers.Add("Idempotency-Key", visitor.Key);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            string? code = null, problem = null;
            if (text.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(text);
                if ((int)response.StatusCode == 201)
                {
                    code = json.RootElement.GetProperty("code").GetString();
                }
                else if (json.RootElement.TryGetProperty("code", out var c))
                {
                    problem = c.GetString();
                }
            }

            return new VisitorAnswer((int)response.StatusCode, code, problem, response.Headers.RetryAfter is not null, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new VisitorAnswer(0, null, null, false, e.GetType().Name);
        }
    }
}
