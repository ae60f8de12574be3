using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Unit.Notifications;

/// <summary>
/// Every template, in both languages, measured with the longest program title of the shipped
/// catalog, its festival name, the largest party and the widest date: Korean within two UCS-2
/// segments (134), English within one GSM-7 segment (160), no emoji. Names are not in the texts.
/// </summary>
public sealed class SmsTemplatesTests
{
    private static readonly Lazy<Festival> Shipped = new(() =>
    {
        var path = Path.Combine(RepositoryPaths.Root, "functions", "catalog", "2024-autumn.json");
        var festival = CatalogReader.Parse(File.ReadAllText(path));
        Assert.True(festival.IsSuccess);
        return festival.Value;
    });

    public static TheoryData<string> Kinds => [.. SmsKind.All];

    private static SmsTemplateData Longest(bool english)
    {
        var festival = Shipped.Value;
        var title = festival.Programs.Select(p => english ? p.Title.En : p.Title.Ko).MaxBy(t => t.Length)!;
        // Wednesday 30 Dec 23:59: the widest date in both languages ("12월 30일(수)", "Wed 30 Dec").
        return new SmsTemplateData(
            english ? festival.Document.Name.En : festival.Document.Name.Ko,
            title,
            new DateTimeOffset(2026, 12, 30, 23, 59, 0, TimeSpan.FromHours(9)),
            festival.Programs.Max(p => p.MaxPartySize),
            "K7M2-QX9P");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Korean_LongestTitle_FitsTwoUcs2Segments(string kind)
    {
        var data = Longest(english: false);
        var text = SmsTemplates.Render(kind, "ko", data);

        Assert.Contains(data.ProgramTitle, text);
        Assert.Contains(data.Code, text);
        Assert.InRange(Gsm7.Ucs2Length(text), 1, SmsTemplates.KoreanLimit);
        Assert.False(Gsm7.HasSurrogates(text));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void English_LongestTitle_FitsOneGsm7Segment(string kind)
    {
        var data = Longest(english: true);
        var text = SmsTemplates.Render(kind, "en", data);

        Assert.Contains(data.ProgramTitle, text);
        Assert.Contains(data.Code, text);
        Assert.True(Gsm7.CanEncode(text), $"not GSM-7: {text}");
        Assert.InRange(Gsm7.SeptetCount(text)!.Value, 1, SmsTemplates.EnglishLimit);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryProgram_EveryKind_BothLanguages_Fit(string kind)
    {
        foreach (var program in Shipped.Value.Programs)
        {
            var start = Shipped.Value.Time.ToLocal(program.Sessions[0].Start);
            var ko = SmsTemplates.Render(kind, "ko", new SmsTemplateData(Shipped.Value.Document.Name.Ko, program.Title.Ko, start, program.MaxPartySize, "K7M2-QX9P"));
            var en = SmsTemplates.Render(kind, "en", new SmsTemplateData(Shipped.Value.Document.Name.En, program.Title.En, start, program.MaxPartySize, "K7M2-QX9P"));
            Assert.Contains(program.Title.Ko, ko);
            Assert.Contains(program.Title.En, en);
            Assert.True(SmsTemplates.Fits(ko, english: false), ko);
            Assert.True(SmsTemplates.Fits(en, english: true), en);
        }
    }

    [Fact]
    public void Texts_CarryDateTimePartyAndCode_InFestivalTime()
    {
        var data = new SmsTemplateData("Festival", "Mask Parade", new DateTimeOffset(2024, 9, 8, 15, 0, 0, TimeSpan.FromHours(9)), 3, "K7M2-QX9P");

        Assert.Equal("[Festival] Booking confirmed: Mask Parade, Sun 8 Sep 15:00, 3 people. Code K7M2-QX9P",
            SmsTemplates.Render(SmsKind.Confirmed, "en", data));
        Assert.Equal("[Festival] 예약 확정: 가면 퍼레이드, 9월 8일(일) 15:00, 3명. 예약번호 K7M2-QX9P",
            SmsTemplates.Render(SmsKind.Confirmed, "ko", data with { ProgramTitle = "가면 퍼레이드" }));
    }

    [Fact]
    public void UnknownLanguage_IsKorean() =>
        Assert.Contains("예약번호", SmsTemplates.Render(SmsKind.Cancelled, "fr", Longest(english: false)));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TooLongTitle_FromAStaffCatalog_IsShortenedToFit(string kind)
    {
        var en = SmsTemplates.Render(kind, "en", Longest(english: true) with { ProgramTitle = new string('W', 200) });
        var ko = SmsTemplates.Render(kind, "ko", Longest(english: false) with { ProgramTitle = new string('가', 200) });

        Assert.True(SmsTemplates.Fits(en, english: true), en);
        Assert.True(SmsTemplates.Fits(ko, english: false), ko);
        Assert.Contains("...", en);
        Assert.Contains("K7M2-QX9P", en);
        Assert.Contains("K7M2-QX9P", ko);
    }

    [Theory]
    [InlineData("Hello, world!", 13)]
    [InlineData("Price: 5€ [approx]", 21)]
    [InlineData("@£$¥èé", 6)]
    public void Gsm7_CountsSeptets_ExtensionCharactersTwice(string text, int septets) =>
        Assert.Equal(septets, Gsm7.SeptetCount(text));

    [Theory]
    [InlineData("Kids’ Chalk Drawing")]
    [InlineData("Café — open")]
    [InlineData("피크닉")]
    [InlineData("Party 🎉")]
    public void Gsm7_RefusesCharactersOutsideTheAlphabet(string text)
    {
        Assert.False(Gsm7.CanEncode(text));
        Assert.Null(Gsm7.SeptetCount(text));
    }

    [Fact]
    public void Emoji_CountsAsSurrogates() => Assert.True(Gsm7.HasSurrogates("예약 🎉"));
}
