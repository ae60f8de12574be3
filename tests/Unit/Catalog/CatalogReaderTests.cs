using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Errors;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Catalog;

public sealed class CatalogReaderTests
{
    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);

    private static IReadOnlyDictionary<string, string[]> Refusal(Result<Festival> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCode.ValidationFailed, result.Error.Code);
        return result.Error.Errors!;
    }

    private static void AssertRefused(CatalogDocument document, string field, string fragment)
    {
        var errors = Refusal(CatalogReader.Read(document));
        Assert.True(errors.ContainsKey(field), $"expected an error on {field}, got {string.Join(", ", errors.Keys)}");
        Assert.Contains(errors[field], m => m.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Parse_ValidDocument_ProgramsAndExpandedSessions()
    {
        var result = CatalogReader.Parse(TestCatalog.Json(TestCatalog.Document()));

        Assert.True(result.IsSuccess, string.Join("; ", result.Error?.Errors?.SelectMany(e => e.Value) ?? []));
        var festival = result.Value;
        Assert.Equal("seoul-family-2024", festival.FestivalId);
        Assert.Equal([new DateOnly(2024, 9, 7), new DateOnly(2024, 9, 8)], festival.Dates);
        Assert.Equal(2, festival.Programs.Count);
        // mask-parade on both dates (no dates given), picnic-zone on Sunday only.
        Assert.Equal(
            ["mask-parade.20240907.1500", "mask-parade.20240908.1500", "picnic-zone.20240908.1400"],
            festival.Sessions.Select(s => s.SessionId).Order(StringComparer.Ordinal));
        Assert.True(festival.FindProgram(TestCatalog.Picnic)!.WaitlistSkipAhead);
    }

    [Fact]
    public void Read_Session_IdStartEndCapacityInFestivalTime()
    {
        var festival = CatalogReader.Read(TestCatalog.Document()).Value!;

        var session = festival.FindSession("mask-parade.20240908.1500");

        Assert.NotNull(session);
        Assert.Equal("mask-parade", session.ProgramId);
        Assert.Equal(new DateOnly(2024, 9, 8), session.Date);
        Assert.Equal(new DateTimeOffset(2024, 9, 8, 15, 0, 0, Kst), session.Start);
        Assert.Equal(Kst, session.Start.Offset);
        Assert.Equal(new DateTimeOffset(2024, 9, 8, 16, 0, 0, Kst), session.End);
        Assert.Equal(10, session.Capacity);
        Assert.Equal(session.Start, session.BookingClosesAt);
    }

    [Fact]
    public void Read_SundaySession_BookingOpensMondayBeforeAt10Kst()
    {
        var festival = CatalogReader.Read(TestCatalog.Document()).Value!;

        var opens = festival.FindSession("mask-parade.20240908.1500")!.BookingOpensAt;

        Assert.Equal(new DateTimeOffset(2024, 9, 2, 10, 0, 0, Kst), opens);
        Assert.Equal(DayOfWeek.Monday, opens.DayOfWeek);
        Assert.Equal(new DateTimeOffset(2024, 9, 2, 1, 0, 0, TimeSpan.Zero), opens.ToUniversalTime());
    }

    [Fact]
    public void IdFor_ProgramDateTime_DottedCompactForm()
    {
        Assert.Equal("mask-parade.20240908.1500", SessionDefinition.IdFor("mask-parade", new DateOnly(2024, 9, 8), new TimeOnly(15, 0)));
        Assert.Equal("a.20241231.0905", SessionDefinition.IdFor("a", new DateOnly(2024, 12, 31), new TimeOnly(9, 5)));
    }

    [Fact]
    public void Parse_NotJson_ValidationFailed()
    {
        Assert.True(Refusal(CatalogReader.Parse("{ not json")).ContainsKey("catalog"));
    }

    [Fact]
    public void Parse_UnknownField_RefusedAsInThePutBody()
    {
        // A catalog file is the contract's document: a field the app does not know (a typo, or a
        // feature this version lacks) is refused rather than silently dropped.
        var json = TestCatalog.Json(TestCatalog.Document());

        Assert.True(Refusal(CatalogReader.Parse("{\"allocation\":\"lottery\"," + json[1..])).ContainsKey("catalog"));
    }

    [Theory]
    [InlineData("Mask-Parade")]
    [InlineData("mask_parade")]
    [InlineData("mask--parade")]
    [InlineData("-mask")]
    [InlineData("mask parade")]
    [InlineData("")]
    public void Read_ProgramIdNotSlug_Refused(string programId)
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(programId)), "programs[0]", "slug");
    }

    [Fact]
    public void Read_FestivalIdNotSlug_Refused()
    {
        AssertRefused(TestCatalog.Document() with { FestivalId = "Seoul 2024" }, "festivalId", "slug");
    }

    [Fact]
    public void Read_DuplicateProgramId_Refused()
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(), TestCatalog.Program()), "programs[1]", "twice");
    }

    [Theory]
    [InlineData("music")]
    [InlineData("Art")]
    [InlineData("")]
    public void Read_UnknownTheme_Refused(string theme)
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(theme: theme)), "programs[0]", "theme");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public void Read_CapacityOutOfRange_Refused(int capacity)
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(capacity, null, "15:00"))),
            "programs[0]", "capacity");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public void Read_CapacityAtBounds_Accepted(int capacity)
    {
        Assert.True(CatalogReader.Read(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(capacity, null, "15:00")))).IsSuccess);
    }

    [Theory]
    [InlineData("12:59")]
    [InlineData("21:00")]
    [InlineData("09:00")]
    [InlineData("3pm")]
    [InlineData("25:00")]
    public void Read_TimeOutsideOpeningHoursOrMalformed_Refused(string time)
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(10, null, time))), "programs[0]", "opening hours");
    }

    [Fact]
    public void Read_DurationRunsPastClosing_Refused()
    {
        // 20:30 + 60 minutes ends 21:30, after closing at 21:00.
        AssertRefused(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(10, null, "20:30"))), "programs[0]", "opening hours");
    }

    [Fact]
    public void Read_DurationEndsExactlyAtClosing_Accepted()
    {
        var result = CatalogReader.Read(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(10, null, "20:00"))));

        Assert.True(result.IsSuccess);
        Assert.Equal(new TimeOnly(21, 0), TimeOnly.FromDateTime(result.Value.FindSession("mask-parade.20240907.2000")!.End.DateTime));
    }

    [Fact]
    public void Read_DurationWrapsPastMidnight_Refused()
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(duration: 600, sessions: TestCatalog.Schedule(10, null, "20:00"))),
            "programs[0]", "opening hours");
    }

    [Theory]
    [InlineData("2024-09-09")]
    [InlineData("2024-9-8")]
    public void Read_SessionDateNotAFestivalDate_Refused(string date)
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(10, [date], "15:00"))), "programs[0]", "festival's dates");
    }

    [Fact]
    public void Read_SameTimeTwiceInOneSchedule_Refused()
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(sessions: TestCatalog.Schedule(10, null, "15:00", "15:00"))),
            "programs[0]", "defined twice");
    }

    [Fact]
    public void Read_SameSessionInTwoSchedules_Refused()
    {
        var program = TestCatalog.Program(sessions: [TestCatalog.Schedule(10, ["2024-09-08"], "15:00"), TestCatalog.Schedule(20, null, "15:00")]);

        AssertRefused(TestCatalog.Document(program), "programs[0]", "mask-parade.20240908.1500 is defined twice");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Read_MaxPartySizeOutOfRange_Refused(int maxParty)
    {
        AssertRefused(TestCatalog.Document(TestCatalog.Program(maxParty: maxParty)), "programs[0]", "maxPartySize");
    }

    [Fact]
    public void Read_MissingEnglishTitle_Refused()
    {
        var program = TestCatalog.Program() with { Title = new LocalizedText("가면", " ") };

        AssertRefused(TestCatalog.Document(program), "programs[0]", "English");
    }

    [Theory]
    [InlineData("fr", "title", "translations are")]
    [InlineData("zh", "theme", "the fields are")]
    [InlineData("ja", "title", "no 'ja' text")]
    public void Read_ReviewMarkerForNoSuchTranslation_Refused(string language, string field, string fragment)
    {
        var program = TestCatalog.Program() with
        {
            Title = new LocalizedText("가면", "Mask") { Zh = "假面" },
            NeedsNativeReview = new Dictionary<string, IReadOnlyList<string>> { [language] = [field] },
        };

        AssertRefused(TestCatalog.Document(program), "programs[0]", fragment);
    }

    [Fact]
    public void Read_ReviewMarkerOnATranslatedField_Accepted()
    {
        var program = TestCatalog.Program() with
        {
            Title = new LocalizedText("가면", "Mask") { Zh = "假面", Ja = "仮面" },
            NeedsNativeReview = new Dictionary<string, IReadOnlyList<string>> { ["zh"] = ["title"], ["ja"] = ["title"] },
        };

        var festival = CatalogReader.Read(TestCatalog.Document(program));

        Assert.True(festival.IsSuccess);
        Assert.Equal("仮面", festival.Value.Programs[0].Title.In("ja"));
        Assert.Equal(festival.Value.Programs[0].Description.En, festival.Value.Programs[0].Description.In("ja"));
    }

    [Fact]
    public void Read_BadFestivalFields_EachReported()
    {
        var document = TestCatalog.Document() with
        {
            TimeZone = "Mars/Olympus",
            Dates = ["2024-13-01"],
            OpeningHours = new HoursDocument("21:00", "13:00"),
            BookingOpens = new BookingOpensDocument(61, "10:00"),
        };

        var errors = Refusal(CatalogReader.Read(document));

        Assert.Superset(new HashSet<string> { "timeZone", "dates", "openingHours", "bookingOpens" }, errors.Keys.ToHashSet());
    }

    [Fact]
    public void Read_TwoBadPrograms_BothReported()
    {
        var document = TestCatalog.Document(TestCatalog.Program("ok-one"), TestCatalog.Program("bad", theme: "x"), TestCatalog.Program("Bad"));

        var errors = Refusal(CatalogReader.Read(document));

        Assert.Equal(["programs[1]", "programs[2]"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
