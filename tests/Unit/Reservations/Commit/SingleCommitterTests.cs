using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace FestivalReservations.Tests.Unit.Reservations.Commit;

public sealed class SingleCommitterTests : IDisposable
{
    private const string PhoneHash = "0123456789abcdef0123456789abcdef01234567";
    private readonly Mock<TableClient> _sessions = new(MockBehavior.Strict);
    private readonly Queue<TableEntity[]> _reads = new();
    private readonly List<List<TableTransactionAction>> _submitted = [];
    private readonly FakeTimeProvider _clock = Clocks.At(Sessions.DuringBooking);
    private readonly CommitMetrics _metrics = new();
    private readonly InMemoryTable _codes = new("Codes");
    private readonly SingleCommitter _committer;

    public SingleCommitterTests()
    {
        _sessions.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns(() => AzureFakes.Pageable(_reads.Count > 1 ? _reads.Dequeue() : _reads.Peek()));
        // A refused or failed transaction is read back (was it ours, with its reply lost?): here nothing was written.
        _sessions.Setup(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(AzureFakes.Missing<TableEntity>());
        var service = new Mock<TableServiceClient>();
        service.Setup(s => s.GetTableClient(It.IsAny<string>())).Returns(new Mock<TableClient>().Object);
        service.Setup(s => s.GetTableClient("Sessions")).Returns(_sessions.Object);
        service.Setup(s => s.GetTableClient("Codes")).Returns(_codes.Mock.Object);
        var queues = new Mock<QueueServiceClient>();
        queues.Setup(q => q.GetQueueClient(It.IsAny<string>())).Returns(new Mock<QueueClient>().Object);
        var tables = new StorageTables(service.Object, queues.Object);
        var store = new SessionStore(tables);
        _committer = new SingleCommitter(store, new CodeDirectory(tables), _clock, Options.Create(new ReservationOptions { MaxCommitAttempts = 3 }), _metrics,
            new Core.Queries.SessionCounterCache(store, _clock), NullLogger<SingleCommitter>.Instance);
    }

    public void Dispose() => _metrics.Dispose();

    private static TableEntity Counter(int reserved, string etag, int capacity = 10, int waitlisted = 0, int parties = 0)
    {
        var entity = SessionEntities.ToEntity(Sessions.State(capacity, reserved, waitlisted, parties));
        entity.ETag = new ETag(etag);
        return entity;
    }

    private static TableEntity Marker(string code) => SessionEntities.PhoneMarker(Sessions.Id, PhoneHash, code);

    private static ReservationDraft Draft(int partySize = 2, bool joinWaitlist = false) => new(
        new Reservation
        {
            Code = "",
            SessionId = Sessions.Id,
            ProgramId = "mask-parade",
            Name = "김민수",
            Phone = "+821012345678",
            PartySize = partySize,
            Language = "ko",
            Status = ReservationStatus.Confirmed,
            CreatedAt = Sessions.DuringBooking,
        },
        PhoneHash, joinWaitlist, SkipAhead: false);

    private void Reads(params TableEntity[][] reads)
    {
        foreach (var read in reads)
        {
            _reads.Enqueue(read);
        }
    }

    private void SubmitSucceeds() => SubmitThrows([null]);

    /// <summary>Each submit fails with the next exception (null: succeeds); the last one repeats.</summary>
    private void SubmitThrows(params Exception?[] outcomes)
    {
        var sequence = new Queue<Exception?>(outcomes);
        _sessions.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken _) =>
            {
                _submitted.Add(actions.ToList());
                var outcome = sequence.Count > 1 ? sequence.Dequeue() : sequence.Peek();
                return outcome is null
                    ? Task.FromResult(Response.FromValue<IReadOnlyList<Response>>([], AzureFakes.RawResponse(202)))
                    : Task.FromException<Response<IReadOnlyList<Response>>>(outcome);
            });
    }

    private void VerifyReads(int times) =>
        _sessions.Verify(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()),
            Times.Exactly(times));

    [Fact]
    public async Task CommitAsync_SeatsFree_OneTransactionCounterReservationInItsPhoneRowOutbox()
    {
        Reads([Counter(3, "etag-1")]);
        SubmitSucceeds();

        var result = await _committer.CommitAsync(Draft(partySize: 2), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(ReservationStatus.Confirmed, result.Value.Reservation.Status);
        Assert.Null(result.Value.WaitlistPosition);
        var actions = Assert.Single(_submitted);
        Assert.Equal(3, actions.Count);

        Assert.Equal(TableTransactionActionType.UpdateReplace, actions[0].ActionType);
        Assert.Equal(new ETag("etag-1"), actions[0].ETag);
        Assert.Equal(SessionRows.Counter, actions[0].Entity.RowKey);
        Assert.Equal(5, ((TableEntity)actions[0].Entity).GetInt32("Reserved"));

        Assert.Equal(TableTransactionActionType.Add, actions[1].ActionType);
        var code = result.Value.Reservation.Code;
        Assert.True(ReservationCode.TryParse(code, out var parsed));
        // The reservation is its phone's row: the one booking per phone costs no row of its own.
        Assert.Equal("p-" + PhoneHash, actions[1].Entity.RowKey);
        Assert.Equal(code, ((TableEntity)actions[1].Entity).GetString("Code"));
        Assert.Equal(ReservationStatus.Confirmed, ((TableEntity)actions[1].Entity).GetString("Status"));

        Assert.Equal(TableTransactionActionType.Add, actions[2].ActionType);
        var outbox = OutboxRows.FromEntity((TableEntity)actions[2].Entity);
        Assert.Equal("o-" + ((TableEntity)actions[2].Entity).GetString(SessionStore.ChangeIdColumn), actions[2].Entity.RowKey);
        Assert.Equal(result.Value.Message, Assert.Single(outbox.Messages));
        Assert.Equal(SmsKind.Confirmed, outbox.Messages[0].Kind);
        Assert.Equal(actions[2].Entity.RowKey, Assert.Single(result.Value.Outbox).RowKey);

        Assert.All(actions, a => Assert.Equal(Sessions.Id, a.Entity.PartitionKey));
        Assert.Equal(1, _metrics.CommittedTotal);
        var claimed = Assert.Single(_codes.Rows());
        Assert.Equal((parsed.Shelf, code, Sessions.Id), (claimed.PartitionKey, claimed.RowKey, claimed.GetString("SessionId")));
    }

    [Fact]
    public async Task CommitAsync_Refused_ClaimsNoCode()
    {
        Reads([Counter(10, "etag-1")]);
        SubmitSucceeds();

        var result = await _committer.CommitAsync(Draft(partySize: 2), CancellationToken.None);

        Assert.Equal(ErrorCode.SessionFull, result.Error?.Code);
        Assert.Empty(_codes.Rows());
    }

    [Fact]
    public async Task CommitAsync_ConflictThenWritten_KeepsTheCodeItClaimed()
    {
        Reads([Counter(3, "etag-1")], [Counter(4, "etag-2")]);
        SubmitThrows(new TableTransactionFailedException(new RequestFailedException(412, "Precondition Failed")), null);

        var result = await _clock.Advancing(_committer.CommitAsync(Draft(partySize: 2), CancellationToken.None));

        Assert.True(result.IsSuccess);
        var claimed = Assert.Single(_codes.Rows());
        Assert.Equal(result.Value.Reservation.Code, claimed.RowKey);
        Assert.Equal(2, _submitted.Count);
        Assert.All(_submitted, actions => Assert.Equal(claimed.RowKey, ((TableEntity)actions[1].Entity).GetString("Code")));
    }

    [Fact]
    public async Task CommitAsync_ConflictThenFull_GivesItsCodeBack()
    {
        Reads([Counter(8, "etag-1")], [Counter(10, "etag-2")]);
        SubmitThrows(new TableTransactionFailedException(new RequestFailedException(412, "Precondition Failed")));

        var result = await _clock.Advancing(_committer.CommitAsync(Draft(partySize: 2), CancellationToken.None));

        Assert.Equal(ErrorCode.SessionFull, result.Error?.Code);
        Assert.Single(_submitted);
        Assert.Empty(_codes.Rows());
    }

    [Fact]
    public async Task CommitAsync_StorageFailsOnSubmit_KeepsItsCode()
    {
        // The transaction may have committed for all we know: its code must still find it.
        Reads([Counter(3, "etag-1")]);
        SubmitThrows(new RequestFailedException(503, "Server Busy"));

        await Assert.ThrowsAsync<RequestFailedException>(() => _committer.CommitAsync(Draft(partySize: 2), CancellationToken.None));

        Assert.Single(_codes.Rows());
    }

    [Fact]
    public async Task CommitAsync_CodeTakenAlready_DrawsAnotherAndCommits()
    {
        Reads([Counter(3, "etag-1")]);
        SubmitSucceeds();
        _codes.FailNextAdd(new RequestFailedException(409, "The specified entity already exists.", "EntityAlreadyExists", null));

        var result = await _committer.CommitAsync(Draft(partySize: 2), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(result.Value.Reservation.Code, Assert.Single(_codes.Rows()).RowKey);
        Assert.Single(_submitted);
    }

    [Fact]
    public async Task CommitAsync_SessionFullJoinWaitlist_TransactionAddsWaitlistTicket()
    {
        Reads([Counter(10, "etag-1", waitlisted: 3, parties: 2)]);
        SubmitSucceeds();

        var result = await _committer.CommitAsync(Draft(partySize: 2, joinWaitlist: true), CancellationToken.None);

        Assert.Equal(ReservationStatus.Waitlisted, result.Value!.Reservation.Status);
        Assert.Equal(3, result.Value.WaitlistPosition);
        var actions = Assert.Single(_submitted);
        Assert.Equal(["session", "p-" + PhoneHash, SessionRows.Waitlist(1), Assert.Single(result.Value.Outbox).RowKey],
            actions.Select(a => a.Entity.RowKey));
        var counter = (TableEntity)actions[0].Entity;
        Assert.Equal(10, counter.GetInt32("Reserved"));
        Assert.Equal(5, counter.GetInt32("Waitlisted"));
        Assert.Equal(3, counter.GetInt32("WaitlistParties"));
        Assert.Equal(2L, counter.GetInt64("NextWaitlistSeq"));
    }

    [Fact]
    public async Task CommitAsync_412OnFirstSubmit_RereadsAndCommitsOnSecondAttemptWithFreshETag()
    {
        // Between our read and our write someone else took 4 seats: the retry must decide on the new counter.
        Reads([Counter(3, "etag-1")], [Counter(7, "etag-2")]);
        SubmitThrows(AzureFakes.TransactionFailed(412, 0), null);

        var result = await _clock.Advancing(_committer.CommitAsync(Draft(partySize: 2), CancellationToken.None));

        Assert.True(result.IsSuccess);
        Assert.Equal(2, _submitted.Count);
        VerifyReads(2);
        Assert.Equal(new ETag("etag-1"), _submitted[0][0].ETag);
        Assert.Equal(new ETag("etag-2"), _submitted[1][0].ETag);
        Assert.Equal(9, ((TableEntity)_submitted[1][0].Entity).GetInt32("Reserved"));
        Assert.Equal(1, _metrics.ConflictTotal);
    }

    [Fact]
    public async Task CommitAsync_412ThenSessionFilledByOthers_SessionFullWithoutSecondSubmit()
    {
        Reads([Counter(8, "etag-1")], [Counter(10, "etag-2")]);
        SubmitThrows(AzureFakes.TransactionFailed(412, 0));

        var result = await _clock.Advancing(_committer.CommitAsync(Draft(partySize: 2), CancellationToken.None));

        Assert.Equal(ErrorCode.SessionFull, result.Error?.Code);
        Assert.Single(_submitted);
        VerifyReads(2);
    }

    [Fact]
    public async Task CommitAsync_409AtPhoneMarkerIndex_DuplicateReservation()
    {
        Reads([Counter(3, "etag-1")]);
        SubmitThrows(AzureFakes.TransactionFailed(409, 1));

        var result = await _committer.CommitAsync(Draft(), CancellationToken.None);

        Assert.Equal(ErrorCode.DuplicateReservation, result.Error?.Code);
        Assert.Single(_submitted);
    }

    [Fact]
    public async Task CommitAsync_409AtAnotherIndex_NotReportedAsDuplicate()
    {
        Reads([Counter(3, "etag-1")]);
        SubmitThrows(AzureFakes.TransactionFailed(409, 2));

        var thrown = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _committer.CommitAsync(Draft(), CancellationToken.None));

        Assert.Equal(2, thrown.FailedTransactionActionIndex);
    }

    [Fact]
    public async Task CommitAsync_PhoneMarkerAlreadyThere_DuplicateWithoutSubmitting()
    {
        Reads([Counter(3, "etag-1"), Marker("AAAABBBB")]);
        SubmitSucceeds();

        var result = await _committer.CommitAsync(Draft(), CancellationToken.None);

        Assert.Equal(ErrorCode.DuplicateReservation, result.Error?.Code);
        Assert.Empty(_submitted);
    }

    [Fact]
    public async Task CommitAsync_ConflictOnEveryAttempt_CommitContentionAfterMaxAttempts()
    {
        Reads([Counter(3, "etag-1")]);
        SubmitThrows(AzureFakes.TransactionFailed(412, 0));

        var thrown = await Assert.ThrowsAsync<CommitContentionException>(() =>
            _clock.Advancing(_committer.CommitAsync(Draft(), CancellationToken.None)));

        Assert.Equal(Sessions.Id, thrown.SessionId);
        Assert.Equal(3, _submitted.Count);
        VerifyReads(3);
        Assert.Equal(3, _metrics.ConflictTotal);
        Assert.Equal(0, _metrics.CommittedTotal);
    }

    [Fact]
    public async Task CommitAsync_NoCounter_NotFound()
    {
        Reads(Array.Empty<TableEntity>());
        SubmitSucceeds();

        var result = await _committer.CommitAsync(Draft(), CancellationToken.None);

        Assert.Equal(ErrorCode.NotFound, result.Error?.Code);
        Assert.Empty(_submitted);
    }

    [Fact]
    public async Task CommitAsync_SessionStarted_BookingClosedWithoutSubmitting()
    {
        _clock.SetUtcNow(Sessions.Start);
        Reads([Counter(3, "etag-1")]);
        SubmitSucceeds();

        var result = await _committer.CommitAsync(Draft(), CancellationToken.None);

        Assert.Equal(ErrorCode.BookingClosed, result.Error?.Code);
        Assert.Empty(_submitted);
    }

    [Fact]
    public async Task CommitAsync_ReadsCounterAndMarkerInOneFilteredQuery()
    {
        Reads([Counter(3, "etag-1")]);
        SubmitSucceeds();

        await _committer.CommitAsync(Draft(), CancellationToken.None);

        _sessions.Verify(t => t.QueryAsync<TableEntity>(
            It.Is<string>(f => f.Contains($"PartitionKey eq '{Sessions.Id}'", StringComparison.Ordinal)
                && f.Contains("RowKey eq 'session'", StringComparison.Ordinal)
                && f.Contains($"RowKey eq 'p-{PhoneHash}'", StringComparison.Ordinal)),
            It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
