using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using SessionsData = FestivalReservations.Tests.Unit.Support.Sessions;

namespace FestivalReservations.Tests.Unit.Storage;

/// <summary>One outbox row per session transaction, holding every SMS the transaction owes.</summary>
public sealed class OutboxRowsTests
{
    private static readonly DateTimeOffset Now = SessionsData.DuringBooking;

    private static Session Promoted(int count)
    {
        var line = Enumerable.Range(1, count).Select(i => new WaitlistTicket(i, $"BBBB{i:D4}", 1)).ToList();
        var session = new Session(SessionsData.State(capacity: 100, reserved: 100 - count, waitlisted: count, waitlistParties: count), [], line);
        Assert.Equal(count, session.PromoteWaitlist(false, Now));
        return session;
    }

    [Fact]
    public void ToEntity_FromEntity_RoundTripsEveryMessageWithTheEarliestTime()
    {
        var messages = new[]
        {
            OutboxMessage.For(SessionsData.Id, "K7M2QX9P", SmsKind.Cancelled, Now.AddSeconds(2)),
            OutboxMessage.For(SessionsData.Id, "BBBB0001", SmsKind.Promoted, Now),
        };
        var row = new OutboxRow(SessionsData.Id, "c0ffee", messages);

        var entity = OutboxRows.ToEntity(row);
        var back = OutboxRows.FromEntity(entity);

        Assert.Equal((SessionsData.Id, "o-c0ffee"), (entity.PartitionKey, entity.RowKey));
        Assert.Equal(2, entity.GetInt32("Count"));
        Assert.Equal(Now, entity.GetDateTimeOffset("CreatedAt"));
        Assert.Equal("c0ffee", back.ChangeId);
        Assert.Equal(messages, back.Messages);
    }

    [Fact]
    public void ToEntity_FromEntity_KeepsTheCommittingSpansTraceParent()
    {
        const string parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var row = new OutboxRow(SessionsData.Id, "c0ffee", [OutboxMessage.For(SessionsData.Id, "K7M2QX9P", SmsKind.Confirmed, Now)], parent);

        Assert.Equal(parent, OutboxRows.FromEntity(OutboxRows.ToEntity(row)).TraceParent);
        Assert.Null(OutboxRows.FromEntity(OutboxRows.ToEntity(row with { TraceParent = null })).TraceParent);
    }

    [Fact]
    public void Actions_TransactionOwingManySms_WritesOneOutboxRowKeyedByTheChangeId()
    {
        var session = Promoted(3);
        var range = Assert.Single(SessionTransactions.Pack(session.Steps));

        var actions = SessionTransactions.Actions(SessionsData.Id, session.Steps, range,
            new SessionVersions(ETag.All, new Dictionary<string, ETag>(), new Dictionary<int, ETag>()), "change1");

        var outbox = Assert.Single(actions, a => a.Entity.RowKey.StartsWith(SessionRows.OutboxPrefix, StringComparison.Ordinal));
        Assert.Equal((TableTransactionActionType.Add, "o-change1"), (outbox.ActionType, outbox.Entity.RowKey));
        Assert.Equal(3, OutboxRows.FromEntity((TableEntity)outbox.Entity).Messages.Count);
        Assert.Equal(1 + 2 * 3 + 1, actions.Count);
        Assert.Equal(actions.Count, SessionTransactions.Operations(session.Steps));
    }

    [Fact]
    public void Locate_ActionAfterTheCounter_NamesItsEventSkippingTheSms()
    {
        var session = Promoted(2);
        var range = Assert.Single(SessionTransactions.Pack(session.Steps));

        var (step, found) = SessionTransactions.Locate(session.Steps, range, 3);
        var (_, outbox) = SessionTransactions.Locate(session.Steps, range, 5);

        Assert.Equal(1, step);
        Assert.IsType<ReservationPromoted>(found);
        Assert.Null(outbox);
    }

    [Fact]
    public void Of_TransactionWithoutSms_HasNoOutboxRow()
    {
        var session = new Session(SessionsData.State(capacity: 10, reserved: 4));
        session.SetClosed(true);

        Assert.Null(OutboxRows.Of(SessionsData.Id, session.Steps, new StepRange(0, session.Steps.Count), "c"));
    }
}
