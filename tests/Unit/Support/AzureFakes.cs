using Azure;
using Azure.Data.Tables;
using System.Diagnostics.CodeAnalysis;
using Azure.Core;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>Responses and pages as the Azure SDK returns them, for mocked clients.</summary>
public static class AzureFakes
{
    public static Response RawResponse(int status = 200, ETag? etag = null) => new FakeResponse(status, etag);

    public static AsyncPageable<T> Pageable<T>(IEnumerable<T> values) where T : notnull =>
        AsyncPageable<T>.FromPages([Page<T>.FromValues(values.ToList(), null, RawResponse())]);

    public static NullableResponse<T> Found<T>(T value) => Response.FromValue(value, RawResponse());

    public static NullableResponse<T> Missing<T>() => new MissingResponse<T>();

    /// <summary>A failed entity group transaction, as the SDK builds it from "index:message" (FailedEntity).</summary>
    public static TableTransactionFailedException TransactionFailed(int status, int? failedIndex = null)
    {
        var inner = new RequestFailedException(status, $"{failedIndex}:The transaction failed with {status}.");
        if (failedIndex is { } index)
        {
            inner.Data["FailedEntity"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new TableTransactionFailedException(inner);
    }

    /// <summary>A raw response with a status and, optionally, an ETag header.</summary>
    private sealed class FakeResponse(int status, ETag? etag) : Response
    {
        private readonly Dictionary<string, string> _headers = etag is { } e
            ? new(StringComparer.OrdinalIgnoreCase) { ["ETag"] = e.ToString() }
            : new(StringComparer.OrdinalIgnoreCase);

        public override int Status => status;

        public override string ReasonPhrase => "";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = _headers.TryGetValue(name, out var value) ? [value] : null;
            return values is not null;
        }
    }

    private sealed class MissingResponse<T> : NullableResponse<T>
    {
        public override bool HasValue => false;

        public override T Value => throw new InvalidOperationException("No value.");

        public override Response GetRawResponse() => RawResponse(404);
    }
}
