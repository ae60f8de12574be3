using System.Text.RegularExpressions;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>
/// Tells what a storage request does for the app (<see cref="CallKind"/>) from its method, path and
/// body alone: table calls name their table in the path (<c>/account/Codes(...)</c>), entity group
/// transactions inside their multipart body (<c>PATCH http://host/account/Sessions(...) HTTP/1.1</c>).
/// </summary>
public static partial class CallClassifier
{
    public const string SessionsTable = "Sessions";
    public const string CodesTable = "Codes";
    public const string IdempotencyTable = "Idempotency";
    public const string SmsLogTable = "SmsLog";
    public const string PhoneDaysTable = "PhoneDays";
    public const string CodeFailuresTable = "CodeFailures";

    public static CallKind Classify(StorageRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return CallKind.Other; // the account itself: service properties, listing
        }

        if (IsQueueCall(request, segments))
        {
            return segments is [_, _, "messages"] && request.Method == "POST" ? CallKind.QueueSend : CallKind.QueueOther;
        }

        if (segments[1] == "$batch")
        {
            var operations = BatchOperations(request.BodyText);
            return operations.Count == 0
                ? CallKind.Other
                : ForTable(operations[0].Table, [.. operations.Select(o => o.Method)], transaction: true);
        }

        return ForTable(TableName(segments[1]), [request.Method], transaction: false);
    }

    /// <summary>The table a request works on (the first operation's, for a transaction); null for a queue or service call.</summary>
    public static string? Table(StorageRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || IsQueueCall(request, segments))
        {
            return null;
        }

        return segments[1] == "$batch"
            ? BatchOperations(request.BodyText).Select(o => o.Table).FirstOrDefault()
            : TableName(segments[1]);
    }

    /// <summary>The operations inside an entity group transaction's multipart body, in order.</summary>
    public static IReadOnlyList<(string Method, string Table)> BatchOperations(string body) =>
        [.. InnerRequestLine().Matches(body).Select(m => (m.Groups["method"].Value, TableName(ResourceOf(m.Groups["url"].Value))))];

    private static CallKind ForTable(string table, IReadOnlyList<string> methods, bool transaction)
    {
        var reads = methods.All(m => m is "GET" or "HEAD");
        return table switch
        {
            _ when Is(table, SessionsTable) => transaction ? CallKind.SessionTransaction : reads ? CallKind.SessionRead : CallKind.SessionWrite,
            _ when Is(table, CodesTable) => reads ? CallKind.CodeRead : methods.All(m => m == "DELETE") ? CallKind.CodeRelease : CallKind.CodeClaim,
            _ when Is(table, IdempotencyTable) => CallKind.Idempotency,
            _ when Is(table, SmsLogTable) => CallKind.SmsLog,
            _ when Is(table, PhoneDaysTable) || Is(table, CodeFailuresTable) => CallKind.Limits,
            _ => CallKind.Other,
        };
    }

    /// <summary>
    /// Queue paths are /account/queue[/messages[/id]]; a table path has one segment after the
    /// account, with parentheses, or is Tables, $batch or an insert (POST). The table SDK also
    /// sends DataServiceVersion, which no queue call has.
    /// </summary>
    private static bool IsQueueCall(StorageRequest request, string[] segments)
    {
        if (request.Header("DataServiceVersion") is not null)
        {
            return false;
        }

        if (segments.Length >= 3)
        {
            return true;
        }

        var resource = segments[1];
        var tableLike = resource.Contains('(', StringComparison.Ordinal) || resource is "Tables" or "$batch" || request.Method == "POST";
        return !tableLike;
    }

    /// <summary>The segment after the account in an inner request's URL (absolute, http://host/account/Table(...)).</summary>
    private static string ResourceOf(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = scheme < 0 ? 0 : url.IndexOf('/', scheme + 3);
        var path = pathStart < 0 ? "" : url[pathStart..].Split('?')[0];
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, var resource, ..] ? resource : "";
    }

    private static string TableName(string resource)
    {
        var parenthesis = resource.IndexOf('(', StringComparison.Ordinal);
        return parenthesis < 0 ? resource : resource[..parenthesis];
    }

    private static bool Is(string table, string name) => table.Equals(name, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|MERGE|DELETE) (?<url>\S+) HTTP/1\.1\r?$", RegexOptions.Multiline)]
    private static partial Regex InnerRequestLine();
}
