using System.Globalization;
using System.Net;
using System.Text;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>
/// The error answers a <see cref="StatusFault"/> sends, shaped as the services send theirs so the
/// SDK parses them as it would a real one: the table service's JSON odata error, the queue
/// service's XML, each with x-ms-request-id and x-ms-error-code.
/// </summary>
internal static class ErrorResponses
{
    public static byte[] For(int statusCode, StorageCall call)
    {
        var (code, message) = statusCode switch
        {
            500 => ("InternalError", "The server encountered an internal error. Please retry the request."),
            503 => ("ServerBusy", "The server is currently unable to receive requests. Please retry your request."),
            _ => (((HttpStatusCode)statusCode).ToString(), "Injected by the fault proxy."),
        };
        var requestId = Guid.NewGuid().ToString();
        var detail = $"{message}\nRequestId:{requestId}\nTime:{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}";
        var queue = call.Kind is CallKind.QueueSend or CallKind.QueueOther;
        var body = queue
            ? $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{WebUtility.HtmlEncode(detail)}</Message></Error>"
            : $"{{\"odata.error\":{{\"code\":\"{code}\",\"message\":{{\"lang\":\"en-US\",\"value\":\"{detail.Replace("\n", "\\n", StringComparison.Ordinal)}\"}}}}}}";
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {statusCode} {Reason(statusCode)}\r\n")
            .Append(queue ? "Content-Type: application/xml\r\n" : "Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-ms-request-id: {requestId}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-ms-error-code: {code}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-ms-version: {call.Request.Header("x-ms-version") ?? "2019-02-02"}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {DateTimeOffset.UtcNow:R}\r\n")
            .Append(call.Request.Header("x-ms-client-request-id") is { } clientRequestId ? $"x-ms-client-request-id: {clientRequestId}\r\n" : "")
            .Append("Connection: keep-alive\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. bytes];
    }

    private static string Reason(int statusCode) => statusCode switch
    {
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => ((HttpStatusCode)statusCode).ToString(),
    };
}
