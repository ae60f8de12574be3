using System.Collections.Concurrent;

namespace FestivalReservations.Tests.EndToEnd.OpenApi;

/// <summary>A response that does not meet openapi.json (see <see cref="ResponseCheck"/>); not an HttpRequestException, so no retry loop swallows it.</summary>
public sealed class OpenApiDriftException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Sits in RunningApp's clients: every response is checked against openapi.json before the test sees it. A violation throws
/// from the call that got it (the test fails there, with the operation, the status, the JSON path and the body's start) and is
/// kept, so RunningApp's dispose fails a test that caught the exception. It also counts which operations and statuses ran.
/// </summary>
public sealed class OpenApiCheckingHandler(OpenApiContract contract, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentQueue<OpenApiDriftException> _violations = new();
    private readonly ConcurrentDictionary<(string OperationId, int Status), int> _exercised = new();

    /// <summary>Every violation so far, in order.</summary>
    public IReadOnlyCollection<string> Violations => [.. _violations.Select(v => v.Message)];

    /// <summary>Throws when any response so far did not meet the document: every violation, the first as the inner exception (its stack names the call).</summary>
    public void ThrowIfAnyViolation()
    {
        if (!_violations.IsEmpty)
        {
            throw new OpenApiDriftException(
                $"{_violations.Count} response(s) did not meet openapi.json:\n{string.Join("\n\n", Violations)}", _violations.First());
        }
    }

    /// <summary>How often each documented operation answered each status.</summary>
    public IReadOnlyDictionary<(string OperationId, int Status), int> Exercised => _exercised;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // Buffered, so the test can still read the body after the check did.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var observed = new ObservedResponse(request.Method.Method, path, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        var operation = contract.Find(observed.Method, observed.Path);
        if (operation is not null)
        {
            _exercised.AddOrUpdate((operation.OperationId, observed.Status), 1, (_, n) => n + 1);
        }

        if (ResponseCheck.Violation(contract, operation, observed) is { } violation)
        {
            var drift = new OpenApiDriftException(violation);
            _violations.Enqueue(drift);
            response.Dispose();
            throw drift;
        }

        return response;
    }
}
