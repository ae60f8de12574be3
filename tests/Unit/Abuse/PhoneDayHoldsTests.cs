using Azure;
using Azure.Data.Tables;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;
using Moq;

namespace FestivalReservations.Tests.Unit.Abuse;

/// <summary>
/// What a phone's daily hold costs in storage calls, and that the cheap paths keep the rule: a
/// phone's first hold of the day is one insert, giving it back one delete, and any other write of
/// the row since sends both back to the read-decide-write loop.
/// </summary>
public sealed class PhoneDayHoldsTests : IDisposable
{
    private const string Phone = "010-4444-0001";
    private readonly VisitorApi _api = new();

    public void Dispose() => _api.Dispose();

    private string Hash => _api.Hasher.Hash("+821044440001");

    private Core.Catalog.SessionDefinition Session(string id) => _api.Festival.FindSession(id)!;

    private Mock<TableClient> Table => _api.Storage.PhoneDays.Mock;

    private TableEntity? Row(DateOnly day) => _api.Storage.PhoneDays.Get(PhoneDays.Partition(day, Hash), PhoneDays.HoldsPrefix + Hash);

    [Fact]
    public async Task Hold_PhonesFirstOfTheDay_OneInsertAndNoRead()
    {
        var held = await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayParade), CancellationToken.None);

        Assert.True(held.IsSuccess);
        Assert.NotNull(held.Value.Created);
        Table.Verify(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()), Times.Never);
        Table.Verify(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>()), Times.Once);
        var holds = await _api.PhoneDays.ReadAsync(held.Value.Day, Hash, CancellationToken.None);
        Assert.Equal([TestCatalog.SundayParade], holds.Select(h => h.SessionId));
    }

    [Fact]
    public async Task Release_OfTheRowItCreated_DeletesTheRowInOneCall()
    {
        var held = (await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayParade), CancellationToken.None)).Value!;

        await _api.PhoneDays.ReleaseAsync(held, CancellationToken.None);

        Assert.Null(Row(held.Day));
        Table.Verify(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()), Times.Never);
        Table.Verify(t => t.DeleteEntityAsync(It.IsAny<string>(), It.IsAny<string>(), held.Created!.Value, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Release_AfterAnotherRequestOfThePhoneWroteTheRow_GivesBackOnlyItsOwn()
    {
        var first = (await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayParade), CancellationToken.None)).Value!;
        var second = await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayParade), CancellationToken.None);
        Assert.True(second.IsSuccess);
        Assert.Null(second.Value.Created);

        await _api.PhoneDays.ReleaseAsync(first, CancellationToken.None);

        var hold = Assert.Single(await _api.PhoneDays.ReadAsync(first.Day, Hash, CancellationToken.None));
        Assert.Equal([second.Value.RequestId], hold.Requests);
    }

    [Fact]
    public async Task Hold_AnotherSessionAtTheSameTime_StillRefusedOverlapping()
    {
        Assert.True((await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayParade), CancellationToken.None)).IsSuccess);

        var overlapping = await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayPicnic), CancellationToken.None);

        Assert.False(overlapping.IsSuccess);
        Assert.Equal(Core.Errors.ErrorCode.OverlappingReservation, overlapping.Error.Code);
    }

    [Fact]
    public async Task Hold_FirstInsertsReplyLost_TheLoopFindsItsOwnHoldAndHoldsOnce()
    {
        _api.Storage.PhoneDays.LoseNextAddReply(new RequestFailedException(503, "Server busy"));

        var held = await _api.PhoneDays.HoldAsync(Hash, Session(TestCatalog.SundayParade), CancellationToken.None);

        Assert.True(held.IsSuccess);
        Assert.Null(held.Value.Created);
        var hold = Assert.Single(await _api.PhoneDays.ReadAsync(held.Value.Day, Hash, CancellationToken.None));
        Assert.Equal([held.Value.RequestId], hold.Requests);

        await _api.PhoneDays.ReleaseAsync(held.Value, CancellationToken.None);
        Assert.Empty(await _api.PhoneDays.ReadAsync(held.Value.Day, Hash, CancellationToken.None));
    }

    [Fact]
    public async Task Reserve_SessionSeenFull_RefusedWithoutTouchingThePhonesDay()
    {
        _api.SetCounter(s => s with { Reserved = s.Capacity });

        var first = await _api.CreateAsync(TestCatalog.SundayParade, VisitorApi.Body(phone: Phone, partySize: 1));
        var second = await _api.CreateAsync(TestCatalog.SundayParade, VisitorApi.Body(phone: "010-4444-0002", partySize: 1));

        ProblemAssert.Problem(first, 409, "session-full");
        ProblemAssert.Problem(second, 409, "session-full");
        Table.Verify(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>()), Times.Never);
        Table.Verify(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(0, _api.Commits);
    }

    [Fact]
    public async Task Reserve_SessionWithOneSeatLeft_IsNotRefusedEarly()
    {
        _api.SetCounter(s => s with { Reserved = s.Capacity - 1 });

        var booked = await _api.CreateAsync(TestCatalog.SundayParade, VisitorApi.Body(phone: Phone, partySize: 1));

        Assert.Equal(201, booked.Status);
        Assert.Equal(1, _api.Commits);
    }
}
