using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace FestivalReservations.Tests.Notifications;

/// <summary>
/// A network that fails some storage calls, inside the SDK's retry loop (so the SDK sends the
/// request again, as it would in production). <see cref="LoseReply"/>: the request reaches storage
/// and is carried out, then the reply is lost (an IOException, as a reset connection), and the
/// retry meets what the first attempt wrote. <see cref="ResetBeforeSending"/>: the connection resets
/// before the request leaves, nothing happens. Each fault hits the first <c>times</c> matching
/// requests (or until <see cref="Heal"/>).
/// </summary>
public sealed class NetworkFault : HttpPipelinePolicy
{
    private readonly Func<HttpMessage, bool> _matches;
    private readonly bool _afterSending;
    private int _left;
    private int _hits;

    private NetworkFault(Func<HttpMessage, bool> matches, int times, bool afterSending)
    {
        _matches = matches;
        _left = times;
        _afterSending = afterSending;
    }

    /// <summary>How many requests this fault hit so far: a test asserts its fault happened.</summary>
    public int Hits => Volatile.Read(ref _hits);

    public static NetworkFault LoseReply(Func<HttpMessage, bool> matches, int times = 1) => new(matches, times, afterSending: true);

    public static NetworkFault ResetBeforeSending(Func<HttpMessage, bool> matches, int times = int.MaxValue) => new(matches, times, afterSending: false);

    /// <summary>The single-entity insert into <paramref name="table"/> (POST /table).</summary>
    public static Func<HttpMessage, bool> InsertInto(string table) => m =>
        m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/" + table, StringComparison.Ordinal);

    /// <summary>An update of one entity of <paramref name="table"/> guarded by an ETag (PUT or MERGE with If-Match).</summary>
    public static Func<HttpMessage, bool> GuardedUpdateOf(string table) => m =>
        m.Request.Method != RequestMethod.Post && m.Request.Method != RequestMethod.Get
        && m.Request.Uri.Path.Contains("/" + table + "(", StringComparison.Ordinal)
        && m.Request.Headers.TryGetValue("If-Match", out var etag) && etag != "*";

    /// <summary>From now on every request goes through.</summary>
    public void Heal() => Volatile.Write(ref _left, 0);

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
        FailBefore(message);
        ProcessNext(message, pipeline);
        FailAfter(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        FailBefore(message);
        await ProcessNextAsync(message, pipeline);
        FailAfter(message);
    }

    private void FailBefore(HttpMessage message)
    {
        if (!_afterSending && Hit(message))
        {
            throw new IOException("The connection was reset before the request was sent (test).");
        }
    }

    private void FailAfter(HttpMessage message)
    {
        if (_afterSending && message.Response.Status < 300 && Hit(message))
        {
            throw new IOException("The connection was reset after the request was carried out (test: reply lost).");
        }
    }

    private bool Hit(HttpMessage message)
    {
        if (!_matches(message) || Interlocked.Decrement(ref _left) < 0)
        {
            return false;
        }

        Interlocked.Increment(ref _hits);
        return true;
    }
}
