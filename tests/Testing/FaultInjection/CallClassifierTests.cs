using System.Text;
using FestivalReservations.Testing;
using FestivalReservations.Testing.FaultInjection;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>
/// Classification of requests the app really sent (captured through the proxy by
/// <see cref="CallClassifierLiveTests"/> into Samples/, LF line ends there), and of a few the
/// app does not send but the proxy may see.
/// </summary>
public sealed class CallClassifierTests
{
    [Theory]
    [InlineData("session-transaction-reserve.http", CallKind.SessionTransaction)]
    [InlineData("session-transaction-cancel.http", CallKind.SessionTransaction)]
    [InlineData("session-read-counter.http", CallKind.SessionRead)]
    [InlineData("session-read-query.http", CallKind.SessionRead)]
    [InlineData("session-write-outbox-delete.http", CallKind.SessionWrite)]
    [InlineData("code-claim-insert.http", CallKind.CodeClaim)]
    [InlineData("code-claim-transaction.http", CallKind.CodeClaim)]
    [InlineData("code-release-transaction.http", CallKind.CodeRelease)]
    [InlineData("code-read.http", CallKind.CodeRead)]
    [InlineData("idempotency-claim.http", CallKind.Idempotency)]
    [InlineData("idempotency-complete.http", CallKind.Idempotency)]
    [InlineData("idempotency-abandon.http", CallKind.Idempotency)]
    [InlineData("smslog-claim.http", CallKind.SmsLog)]
    [InlineData("smslog-read.http", CallKind.SmsLog)]
    [InlineData("smslog-update.http", CallKind.SmsLog)]
    [InlineData("smslog-sid-map.http", CallKind.SmsLog)]
    [InlineData("queue-send.http", CallKind.QueueSend)]
    [InlineData("queue-receive.http", CallKind.QueueOther)]
    [InlineData("queue-delete-message.http", CallKind.QueueOther)]
    [InlineData("queue-create.http", CallKind.QueueOther)]
    [InlineData("table-create.http", CallKind.Other)]
    [InlineData("catalog-query.http", CallKind.Other)]
    public void Classify_CapturedSample_IsItsKind(string sample, CallKind kind)
    {
        Assert.Equal(kind, CallClassifier.Classify(Sample(sample)));
    }

    [Fact]
    public void Parse_CapturedTransaction_ReadsTheWholeBodyByItsLength()
    {
        var request = Sample("session-transaction-reserve.http");

        Assert.Equal("POST", request.Method);
        Assert.Equal("/devstoreaccount1/$batch", request.Path);
        Assert.Equal(int.Parse(request.Header("Content-Length")!, System.Globalization.CultureInfo.InvariantCulture), request.Body.Length);
        Assert.EndsWith("--\r\n", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchOperations_CapturedTransaction_NamesEachOperationAndItsTable()
    {
        var operations = CallClassifier.BatchOperations(Sample("session-transaction-reserve.http").BodyText);

        Assert.Equal(("PUT", "Sessions"), operations[0]);
        Assert.All(operations, o => Assert.Equal("Sessions", o.Table));
        Assert.Contains(("POST", "Sessions"), operations);
    }

    [Theory]
    [InlineData("GET", "/devstoreaccount1?comp=list", CallKind.Other)]
    [InlineData("GET", "/devstoreaccount1/?restype=service&comp=properties", CallKind.Other)]
    [InlineData("DELETE", "/devstoreaccount1/Tables('Codes')", CallKind.Other)]
    [InlineData("PUT", "/devstoreaccount1/Sessions(PartitionKey='s',RowKey='session')", CallKind.SessionWrite)]
    [InlineData("DELETE", "/devstoreaccount1/Codes(PartitionKey='AB',RowKey='AB123456')", CallKind.CodeRelease)]
    [InlineData("GET", "/devstoreaccount1/codes()?$filter=x", CallKind.CodeRead)]
    [InlineData("DELETE", "/devstoreaccount1/sms", CallKind.QueueOther)]
    [InlineData("GET", "/devstoreaccount1/sms?comp=metadata", CallKind.QueueOther)]
    [InlineData("PUT", "/devstoreaccount1/sms/messages/id-1?popreceipt=x&visibilitytimeout=5", CallKind.QueueOther)]
    [InlineData("DELETE", "/devstoreaccount1/sms/messages", CallKind.QueueOther)]
    [InlineData("POST", "http://127.0.0.1:10001/devstoreaccount1/sms/messages", CallKind.QueueSend)]
    public void Classify_WithoutTableHeaders_TellsTablesFromQueuesByTheirPaths(string method, string target, CallKind kind)
    {
        Assert.Equal(kind, CallClassifier.Classify(new StorageRequest(method, target, [], [])));
    }

    [Fact]
    public void Classify_TransactionOnAnotherTable_IsOther_AndAnEmptyOneToo()
    {
        var catalog = Batch("PUT http://127.0.0.1:1/devstoreaccount1/Catalog(PartitionKey='f',RowKey='p') HTTP/1.1");

        Assert.Equal(CallKind.Other, CallClassifier.Classify(catalog));
        Assert.Equal("Catalog", CallClassifier.Table(catalog));
        Assert.Equal(CallKind.Other, CallClassifier.Classify(Batch()));
    }

    [Fact]
    public void Classify_CodesTransactionWithAnInsert_IsAClaim_OnlyDeletesARelease()
    {
        const string delete = "DELETE http://127.0.0.1:1/devstoreaccount1/Codes(PartitionKey='AB',RowKey='AB000001') HTTP/1.1";
        const string insert = "POST http://127.0.0.1:1/devstoreaccount1/Codes HTTP/1.1";

        Assert.Equal(CallKind.CodeRelease, CallClassifier.Classify(Batch(delete, delete)));
        Assert.Equal(CallKind.CodeClaim, CallClassifier.Classify(Batch(delete, insert)));
    }

    [Fact]
    public void Table_QueueCall_IsNull()
    {
        Assert.Null(CallClassifier.Table(Sample("queue-send.http")));
        Assert.Equal("Idempotency", CallClassifier.Table(Sample("idempotency-claim.http")));
    }

    private static StorageRequest Batch(params string[] requestLines)
    {
        var body = new StringBuilder("--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n");
        foreach (var line in requestLines)
        {
            body.Append("--changeset_1\r\nContent-Type: application/http\r\n\r\n").Append(line).Append("\r\nAccept: application/json\r\n\r\n{}\r\n");
        }

        body.Append("--changeset_1--\r\n--batch_1--\r\n");
        return new StorageRequest("POST", "/devstoreaccount1/$batch", [new("DataServiceVersion", "3.0")], Encoding.UTF8.GetBytes(body.ToString()));
    }

    /// <summary>A sample as sent: its LF line ends back to the wire's CRLF (the SDK's bodies hold no bare LF).</summary>
    private static StorageRequest Sample(string name)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Testing", "FaultInjection", "Samples", name);
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return StorageRequest.Parse(Encoding.UTF8.GetBytes(text));
    }
}
