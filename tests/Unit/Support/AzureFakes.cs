using Azure;
using Azure.Data.Tables;
using Moq;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>Responses and pages as the Azure SDK returns them, for mocked clients.</summary>
public static class AzureFakes
{
    public static Response RawResponse(int status = 200)
    {
        var raw = new Mock<Response>();
        raw.SetupGet(r => r.Status).Returns(status);
        return raw.Object;
    }

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

    private sealed class MissingResponse<T> : NullableResponse<T>
    {
        public override bool HasValue => false;

        public override T Value => throw new InvalidOperationException("No value.");

        public override Response GetRawResponse() => RawResponse(404);
    }
}
