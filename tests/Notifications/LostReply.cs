using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace FestivalReservations.Tests.Notifications;

/// <summary>
/// A network that loses answers: for the first <see cref="Times"/> requests that <see cref="Matches"/>,
/// the request reaches storage and is carried out, then the reply is thrown away (an IOException, as
/// a reset connection). Sits inside the SDK's retry loop, so the SDK sends the request again, as it
/// would in production, and that retry meets what the first attempt wrote.
/// </summary>
public sealed class LostReply(Func<HttpMessage, bool> matches, int times = 1) : HttpPipelinePolicy
{
    private int _left = times;
    private int _lost;

    public Func<HttpMessage, bool> Matches { get; } = matches;

    public int Times { get; } = times;

    /// <summary>How many replies were thrown away so far: a test asserts its fault happened.</summary>
    public int Lost => Volatile.Read(ref _lost);

    /// <summary>The single-entity insert into <paramref name="table"/> (POST /table).</summary>
    public static Func<HttpMessage, bool> InsertInto(string table) => m =>
        m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/" + table, StringComparison.Ordinal);

    /// <summary>An update of one entity of <paramref name="table"/> guarded by an ETag (PUT or MERGE with If-Match).</summary>
    public static Func<HttpMessage, bool> GuardedUpdateOf(string table) => m =>
        m.Request.Method != RequestMethod.Post && m.Request.Method != RequestMethod.Get
        && m.Request.Uri.Path.Contains("/" + table + "(", StringComparison.Ordinal)
        && m.Request.Headers.TryGetValue("If-Match", out var etag) && etag != "*";

    /// <summary>A table service client on <paramref name="connectionString"/> whose calls go through this network (quick SDK retries).</summary>
    public TableServiceClient Tables(string connectionString)
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxRetries = 3;
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(connectionString, options);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        LoseIfMatched(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        LoseIfMatched(message);
    }

    private void LoseIfMatched(HttpMessage message)
    {
        if (message.Response.Status < 300 && Matches(message) && Interlocked.Decrement(ref _left) >= 0)
        {
            Interlocked.Increment(ref _lost);
            throw new IOException("The connection was reset after the request was carried out (test: reply lost).");
        }
    }
}
