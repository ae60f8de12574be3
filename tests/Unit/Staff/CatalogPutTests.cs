using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Staff;

/// <summary>PUT /api/staff/catalog: adds and updates, never deletes or shrinks below the seats taken.</summary>
public sealed class CatalogPutTests : IDisposable
{
    private readonly StaffApi _api = new();

    public void Dispose() => _api.Dispose();

    private static CatalogDocument Current => TestCatalog.Document();

    private static CatalogDocument WithParadeCapacity(int capacity, params ProgramDocument[] extra) => Current with
    {
        Programs =
        [
            TestCatalog.Program(sessions: TestCatalog.Schedule(capacity, null, "15:00")),
            Current.Programs[1],
            .. extra,
        ],
    };

    private static ProgramDocument Lanterns => TestCatalog.Program("lantern-making", "art", 60, 3, false,
        TestCatalog.Schedule(25, ["2024-09-08"], "14:00", "16:00"));

    [Fact]
    public async Task Put_SameCatalog_NothingChanges()
    {
        var response = await _api.PutCatalogAsync(TestCatalog.Json(Current));

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"programsAdded":0,"programsUpdated":0,"sessionsAdded":0,"sessionsUpdated":0}""", response.Body);
    }

    [Fact]
    public async Task Put_NewProgram_AddedWithNewCountersAndServed()
    {
        var response = await _api.PutCatalogAsync(TestCatalog.Json(WithParadeCapacity(10, Lanterns)));

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"programsAdded":1,"programsUpdated":0,"sessionsAdded":2,"sessionsUpdated":0}""", response.Body);
        var counter = _api.Counter("lantern-making.20240908.1400");
        Assert.Equal((25, 0), (counter.Capacity, counter.Reserved));
        var served = await _api.Catalog.GetAsync(CancellationToken.None);
        Assert.NotNull(served.FindSession("lantern-making.20240908.1600"));
    }

    [Fact]
    public async Task Put_CapacityRaised_CounterUpdatedAndWaitlistPromoted()
    {
        _api.Visitors.SetCounter(s => s with { Capacity = 10, Reserved = 10 });
        var waiting = await _api.ReserveAsync("010-1111-0001", partySize: 2, joinWaitlist: true);

        var response = await _api.PutCatalogAsync(TestCatalog.Json(WithParadeCapacity(12)));

        Assert.Equal("""{"programsAdded":0,"programsUpdated":1,"sessionsAdded":0,"sessionsUpdated":2}""", response.Body);
        Assert.Equal((12, 12), (_api.Counter().Capacity, _api.Counter().Reserved));
        Assert.Equal(ReservationStatus.Confirmed, _api.Stored(waiting).Status);
    }

    [Fact]
    public async Task Put_BookingRacesAShrink_RefusedInItsTransactionAndNoSessionChanged()
    {
        const string saturdayParade = "mask-parade.20240907.1500";
        var document = Current with
        {
            Programs =
            [
                TestCatalog.Program(sessions: TestCatalog.Schedule(2, null, "15:00")),
                Current.Programs[1] with { Sessions = [TestCatalog.Schedule(6, ["2024-09-08"], "14:00")] },
            ],
        };
        var before = new[] { saturdayParade, TestCatalog.SundayParade, TestCatalog.SundayPicnic }.ToDictionary(id => id, id => _api.Counter(id));
        // Bookings land on the picnic after the upload's first look at the counters and its first shrink.
        var raced = false;
        _api.Storage.Sessions.Committed = _ =>
        {
            if (!raced)
            {
                raced = true;
                _api.Visitors.SetCounter(s => s with { Reserved = 7 }, TestCatalog.SundayPicnic);
            }
        };

        var body = ProblemAssert.Problem(await _api.PutCatalogAsync(TestCatalog.Json(document)), 409, "capacity-below-reserved");

        Assert.True(raced);
        Assert.Equal(TestCatalog.SundayPicnic, body.GetProperty("sessionId").GetString());
        Assert.Equal(7, body.GetProperty("reserved").GetInt32());
        Assert.Equal(before[saturdayParade], _api.Counter(saturdayParade));
        Assert.Equal(before[TestCatalog.SundayParade], _api.Counter(TestCatalog.SundayParade));
        Assert.Equal(before[TestCatalog.SundayPicnic] with { Reserved = 7 }, _api.Counter(TestCatalog.SundayPicnic));
        Assert.Empty(_api.Storage.Catalog.Rows());
    }

    [Fact]
    public async Task Put_CapacityBelowReserved_409AndNothingWritten()
    {
        await _api.ReserveAsync("010-1111-0001", partySize: 4);
        _api.Visitors.SetCounter(s => s with { Reserved = 8 });
        var commits = _api.Visitors.Commits;

        var body = ProblemAssert.Problem(await _api.PutCatalogAsync(TestCatalog.Json(WithParadeCapacity(7, Lanterns))), 409, "capacity-below-reserved");

        Assert.Equal(TestCatalog.SundayParade, body.GetProperty("sessionId").GetString());
        Assert.Equal(8, body.GetProperty("reserved").GetInt32());
        Assert.Equal(10, _api.Counter().Capacity);
        Assert.Equal(commits, _api.Visitors.Commits);
        Assert.Empty(_api.Storage.Catalog.Rows());
        Assert.Null(_api.Storage.Sessions.Get("lantern-making.20240908.1400", SessionRows.Counter));
    }

    [Fact]
    public async Task Put_CapacityPatchedByStaff_SurvivesAnUnchangedUpload()
    {
        await _api.PatchAsync(TestCatalog.SundayParade, """{"capacity":20}""");

        await _api.PutCatalogAsync(TestCatalog.Json(Current));

        Assert.Equal(20, _api.Counter().Capacity);
    }

    [Fact]
    public async Task Put_ProgramMissing_ValidationFailedNothingDeleted()
    {
        var response = await _api.PutCatalogAsync(TestCatalog.Json(Current with { Programs = [Current.Programs[0]] }));

        ProblemAssert.ValidationFailed(response, "programs");
        Assert.Empty(_api.Storage.Catalog.Rows());
    }

    [Fact]
    public async Task Put_SessionWithReservationsMissing_CapacityBelowReserved()
    {
        await _api.ReserveAsync("010-1111-0001", partySize: 2);
        var onlySaturday = WithParadeCapacity(10) with
        {
            Programs = [TestCatalog.Program(sessions: TestCatalog.Schedule(10, ["2024-09-07"], "15:00")), Current.Programs[1]],
        };

        ProblemAssert.Problem(await _api.PutCatalogAsync(TestCatalog.Json(onlySaturday)), 409, "capacity-below-reserved");
    }

    [Fact]
    public async Task Put_OtherFestival_ValidationFailed()
    {
        ProblemAssert.ValidationFailed(await _api.PutCatalogAsync(TestCatalog.Json(Current with { FestivalId = "another-festival" })), "festivalId");
    }

    [Fact]
    public async Task Put_InvalidCatalog_ValidationFailedWithTheReadersErrors()
    {
        ProblemAssert.ValidationFailed(await _api.PutCatalogAsync(TestCatalog.Json(WithParadeCapacity(0))), "programs[0]");
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"festivalId\": 5}")]
    public async Task Put_BadBody_ValidationFailed(string body)
    {
        ProblemAssert.Problem(await _api.PutCatalogAsync(body), 400, "validation-failed");
    }

    [Fact]
    public async Task Put_BodyOver16KiB_PayloadTooLarge()
    {
        ProblemAssert.Problem(await _api.PutCatalogAsync("{}", contentLength: 16 * 1024 + 1), 413, "payload-too-large");
    }

    private static CatalogDocument WithParadeLottery(string drawAt) => Current with
    {
        Programs =
        [
            Current.Programs[0] with { Allocation = "lottery", Lottery = new LotteryDocument("D-1 10:00", "D-1 12:00", drawAt) },
            Current.Programs[1],
        ],
    };

    [Fact]
    public async Task Put_LotteryWindow_TakenWithASeedUntilEntriesOpen_ThenRefusedWhole()
    {
        var response = await _api.PutCatalogAsync(TestCatalog.Json(WithParadeLottery("D-1 13:00")));

        Assert.Equal(200, response.Status);
        var lottery = _api.Counter().Lottery!;
        Assert.True(FestivalReservations.Core.Lotteries.LotterySeed.IsSeed(lottery.Seed));
        Assert.Equal(new DateTimeOffset(2024, 9, 7, 10, 0, 0, TimeSpan.FromHours(9)), lottery.Window.EntriesOpenAt);

        // Before entries open the window may move; the seed (its hash may not be public yet) stays.
        Assert.Equal(200, (await _api.PutCatalogAsync(TestCatalog.Json(WithParadeLottery("D-1 14:00")))).Status);
        var moved = _api.Counter().Lottery!;
        Assert.Equal(lottery.Seed, moved.Seed);
        Assert.Equal(new DateTimeOffset(2024, 9, 7, 14, 0, 0, TimeSpan.FromHours(9)), moved.Window.DrawAt);

        // Once entries have opened: refused whole, nothing changed.
        _api.Clock.SetUtcNow(new DateTimeOffset(2024, 9, 7, 11, 0, 0, TimeSpan.FromHours(9)));
        var refused = await _api.PutCatalogAsync(TestCatalog.Json(WithParadeLottery("D-1 15:00")));
        Assert.Equal(400, refused.Status);
        Assert.Contains("validation-failed", refused.Body);
        Assert.Equal(moved, _api.Counter().Lottery);
        Assert.Equal(400, (await _api.PutCatalogAsync(TestCatalog.Json(Current))).Status);
    }

    [Theory]
    [InlineData("D-1 10:00", "D-1 12:00", "D-1 11:00", "drawAt must not be before")]
    [InlineData("D-1 12:00", "D-1 12:00", "D-1 13:00", "entriesOpenAt must be before")]
    [InlineData("D-1 10:00", "D-0 16:00", "D-0 16:00", "entriesCloseAt must not be after the session starts")]
    [InlineData("D-1 10:00", "tomorrow", "D-0 12:00", "lottery times must be")]
    public async Task Put_LotteryWindowThatMakesNoSense_RefusedWithItsReason(string opens, string closes, string draw, string reason)
    {
        var document = Current with
        {
            Programs = [Current.Programs[0] with { Allocation = "lottery", Lottery = new LotteryDocument(opens, closes, draw) }, Current.Programs[1]],
        };

        var response = await _api.PutCatalogAsync(TestCatalog.Json(document));

        Assert.Equal(400, response.Status);
        Assert.Contains(reason, response.Body);
        Assert.Null(_api.Counter().Lottery);
    }
}
