using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Tickets;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Unit.Notifications;

/// <summary>
/// Every template in every language, measured with the shipped catalog's longest program title
/// and its festival name in that language, the largest party and the widest date, as Korean
/// carriers deliver them: every character in EUC-KR (and so in code page 949), nothing a carrier
/// drops, within the budget with the carrier's [국제발신] counted (UCS-2: 134 - 6, GSM-7: 160 - 6).
/// Names are not in the texts.
/// </summary>
public sealed class SmsTemplatesTests
{
    private const string Code = "K7M2-QX9P";

    private static readonly Lazy<Festival> Shipped = new(() =>
    {
        var path = Path.Combine(RepositoryPaths.Root, "functions", "catalog", "2024-autumn.json");
        var festival = CatalogReader.Parse(File.ReadAllText(path));
        Assert.True(festival.IsSuccess);
        return festival.Value;
    });

    // Wednesday 30 Dec 23:59: the widest date in every language ("12월 30일(수)", "Wed 30 Dec", "12月30日(周三)").
    private static readonly DateTimeOffset WidestDate = new(2026, 12, 30, 23, 59, 0, TimeSpan.FromHours(9));

    public static TheoryData<string, string> KindsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in SmsKind.All)
        {
            foreach (var language in Languages.All)
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    public static TheoryData<string> AllLanguages => [.. Languages.All];

    private static LocalizedText LongestTitle(string language) =>
        Shipped.Value.Programs.Select(p => p.Title).MaxBy(t => t.In(language).Length)!;

    // The widest place in line: the waitlist holds at most as many parties as the largest session has seats.
    private static SmsTemplateData Longest(string language) => SmsTemplateData.For(language,
        Shipped.Value.Document.Name, LongestTitle(language), WidestDate, Shipped.Value.Programs.Max(p => p.MaxPartySize), Code)
        with { WaitlistPosition = Shipped.Value.Sessions.Max(s => s.Capacity) };

    private static void AssertCarried(string text, string language)
    {
        Assert.True(CarrierText.CanCarry(text), $"outside EUC-KR: '{CarrierText.Uncarriable(text)}' in {text}");
        Assert.True(CarrierText.EncodesIn949(text), text);
        Assert.False(Gsm7.HasSurrogates(text), text);
        Assert.True(SmsTemplates.Fits(text, language), $"{SmsTemplates.Length(text, language)} > {SmsTemplates.BudgetFor(language)}: {text}");
        Assert.Contains(Code, text);
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public void Render_LongestTitleAndFestivalName_CarriedWithinBudgetWithPrefix(string kind, string language)
    {
        var data = Longest(language);
        var text = SmsTemplates.Render(kind, language, data);

        AssertCarried(text, language);
        Assert.NotEqual("", data.ProgramTitle);
        Assert.Contains(data.ProgramTitle, text);
        Assert.Contains(data.FestivalName, text);
        if (language == Languages.English)
        {
            Assert.True(Gsm7.CanEncode(text), $"not GSM-7: {text}");
        }
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public void Render_EveryProgram_CarriedWithItsTitle(string kind, string language)
    {
        foreach (var program in Shipped.Value.Programs)
        {
            var start = Shipped.Value.Time.ToLocal(program.Sessions[0].Start);
            var data = SmsTemplateData.For(language, Shipped.Value.Document.Name, program.Title, start, program.MaxPartySize, Code);
            var text = SmsTemplates.Render(kind, language, data);

            AssertCarried(text, language);
            Assert.Contains(data.ProgramTitle, text);
            string?[] expected = [program.Title.In(language), CarrierText.Fold(program.Title.In(language)), program.Title.En];
            Assert.True(expected.Contains(data.ProgramTitle),
                $"{program.ProgramId} in {language}: '{data.ProgramTitle}' is neither its own title (as written or transliterated) nor the English one");
        }
    }

    [Fact]
    public void KoreanAndEnglish_ShippedTitles_AreCarriedAsWritten()
    {
        foreach (var text in Shipped.Value.Programs.Select(p => p.Title).Append(Shipped.Value.Document.Name))
        {
            Assert.Equal(text.Ko, SmsTemplates.Carriable(text, Languages.Korean));
            Assert.Equal(text.En, SmsTemplates.Carriable(text, Languages.English));
        }
    }

    [Fact]
    public void Japanese_ShippedTitles_MostlyArriveInJapanese()
    {
        // Kana and the kanji KS X 1001 shares are carried (ー transliterated); the rest fall back to English.
        var japanese = Shipped.Value.Programs.Count(p => SmsTemplates.Carriable(p.Title, Languages.Japanese) != p.Title.En);
        Assert.True(japanese >= Shipped.Value.Programs.Count / 2, $"only {japanese} Japanese titles arrive in Japanese");
    }

    [Theory]
    [InlineData(SmsKind.Confirmed, "en", "[Festival] Confirmed: Mask Parade, Sun 8 Sep 15:00, 3 people. Code K7M2-QX9P")]
    [InlineData(SmsKind.Confirmed, "ko", "[축제] 예약 확정: 가면 퍼레이드, 9월 8일(일) 15:00, 3명. 예약번호 K7M2-QX9P")]
    [InlineData(SmsKind.Confirmed, "zh", "【Festival】預約成功：假面遊行，9月8日(周日) 15:00，3人。預約號碼 K7M2-QX9P")]
    [InlineData(SmsKind.Confirmed, "ja", "【フェスティバル】予約確定：マスクパレ―ド、9月8日(日) 15:00、3名。予約ID K7M2-QX9P")]
    [InlineData(SmsKind.Reminder, "zh", "【Festival】今天 15:00 假面遊行，3人。請提前10分鐘到場。預約號碼 K7M2-QX9P")]
    [InlineData(SmsKind.Waitlisted, "ja", "【フェスティバル】キャンセル待ち受付：マスクパレ―ド、9月8日(日) 15:00、3名。予約ID K7M2-QX9P")]
    public void Render_CarriesDateTimePartyAndCode_InFestivalTime(string kind, string language, string expected)
    {
        var festival = new LocalizedText("축제", "Festival") { Zh = "节日", Ja = "フェスティバル" };
        var title = new LocalizedText("가면 퍼레이드", "Mask Parade") { Zh = "假面遊行", Ja = "マスクパレ―ド" };
        var data = SmsTemplateData.For(language, festival, title, new DateTimeOffset(2024, 9, 8, 15, 0, 0, TimeSpan.FromHours(9)), 3, Code);

        Assert.Equal(expected, SmsTemplates.Render(kind, language, data));
    }

    // The longest public address Festival:PublicBaseUrl accepts, and a ticket as signed now (18 characters).
    private static readonly string LongestLink =
        "https://" + new string('f', FestivalOptions.MaxPublicBaseUrlLength - "https://".Length) + "/t/K7M2QX9P1VABCD2345";

    public static TheoryData<string, string> LinkKindsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in SmsKind.All.Where(SmsTemplates.CarriesLink))
        {
            foreach (var language in Languages.All)
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LinkKindsAndLanguages))]
    public void Render_WithTheLongestTicketLink_FitsWithTheLinkWhole_AndKoreanChineseJapaneseKeepTitleAndName(string kind, string language)
    {
        Assert.Equal(Ticket.Length, LongestLink.Length - LongestLink.LastIndexOf('/') - 1);
        var longest = Longest(language);
        var data = longest with { Link = LongestLink };
        var text = SmsTemplates.Render(kind, language, data);

        AssertCarried(text, language);
        Assert.EndsWith(" " + LongestLink, text, StringComparison.Ordinal);
        if (language is Languages.Korean or Languages.Japanese)
        {
            // Two UCS-2 segments hold the whole title and festival name with the link (Chinese and
            // English messages mostly carry the long English names, which are shortened to fit).
            Assert.Contains(data.ProgramTitle, text);
            Assert.Contains(data.FestivalName, text);
        }
    }

    [Fact]
    public void CarriesLink_EveryKindButCancelled_LotteryResultsIncluded()
    {
        Assert.False(SmsTemplates.CarriesLink(SmsKind.Cancelled));
        Assert.Equal(SmsKind.All.Where(k => k != SmsKind.Cancelled), SmsKind.All.Where(SmsTemplates.CarriesLink));
        Assert.True(SmsTemplates.CarriesLink(SmsKind.Entered));
        Assert.True(SmsTemplates.CarriesLink(SmsKind.Won));
        Assert.True(SmsTemplates.CarriesLink(SmsKind.NotSelected));
    }

    [Theory]
    [InlineData("ko", "[축제] 대기3번: 가면 퍼레이드, 9월 8일(일) 15:00, 2명. 예약번호 K7M2-QX9P")]
    [InlineData("en", "[Festival] Waitlisted (#3): Mask Parade, Sun 8 Sep 15:00, 2 people. Code K7M2-QX9P")]
    [InlineData("zh", "【Festival】已登記候補(第3位)：假面遊行，9月8日(周日) 15:00，2人。預約號碼 K7M2-QX9P")]
    [InlineData("ja", "【フェスティバル】空席待ち3番：マスクパレ―ド、9月8日(日) 15:00、2名。予約ID K7M2-QX9P")]
    public void Render_WaitlistedWithItsPlace_StatesThePlaceInLine(string language, string expected)
    {
        var festival = new LocalizedText("축제", "Festival") { Zh = "节日", Ja = "フェスティバル" };
        var title = new LocalizedText("가면 퍼레이드", "Mask Parade") { Zh = "假面遊行", Ja = "マスクパレ―ド" };
        var data = SmsTemplateData.For(language, festival, title, new DateTimeOffset(2024, 9, 8, 15, 0, 0, TimeSpan.FromHours(9)), 2, Code)
            with { WaitlistPosition = 3 };

        Assert.Equal(expected, SmsTemplates.Render(SmsKind.Waitlisted, language, data));
    }

    [Fact]
    public void Carriable_JapaneseLongVowelMark_IsTransliterated()
    {
        var text = new LocalizedText("보트 퍼레이드", "Boat Parade") { Ja = "ボートパレード" };

        Assert.False(CarrierText.CanCarry("ー"));
        Assert.Equal("ボ―トパレ―ド", SmsTemplates.Carriable(text, Languages.Japanese));
    }

    [Fact]
    public void Carriable_SimplifiedChineseOutsideEucKr_FallsBackToEnglish()
    {
        var text = new LocalizedText("가면 퍼레이드", "Mask Parade") { Zh = "假面游行预约" };

        Assert.False(CarrierText.CanCarry("预"));
        Assert.Equal("Mask Parade", SmsTemplates.Carriable(text, Languages.Chinese));
    }

    [Fact]
    public void Carriable_AccentsAndTypography_AreTransliterated()
    {
        var text = new LocalizedText("카페", "Café — Kids’ corner");

        Assert.Equal("Cafe - Kids' corner", SmsTemplates.Carriable(text, Languages.English));
        Assert.Equal("카페", SmsTemplates.Carriable(text, Languages.Korean));
    }

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void Render_TitleNoCarrierTakes_IsDroppedNotSentBroken(string language)
    {
        var festival = new LocalizedText("축제 🎉", "Fest 🎉") { Zh = "🎉", Ja = "🎉" };
        var title = new LocalizedText("퍼레이드 🎭", "Parade 🎭") { Zh = "游行 🎭", Ja = "パレード 🎭" };
        var data = SmsTemplateData.For(language, festival, title, WidestDate, 2, Code);

        Assert.Equal("", data.ProgramTitle);
        Assert.Equal("", data.FestivalName);
        foreach (var kind in SmsKind.All)
        {
            var text = SmsTemplates.Render(kind, language, data);
            AssertCarried(text, language);
            Assert.DoesNotContain("[]", text);
            Assert.DoesNotContain("【】", text);
            Assert.False(text.StartsWith(' '), text);
        }
    }

    [Fact]
    public void UnknownLanguage_IsKorean() =>
        Assert.Contains("예약번호", SmsTemplates.Render(SmsKind.Cancelled, "fr", Longest(Languages.Korean)));

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public void Render_TooLongTitleFromAStaffCatalog_IsShortenedToFit(string kind, string language)
    {
        var letter = language switch { "en" => "W", "zh" => "漢", "ja" => "あ", _ => "가" };
        var text = SmsTemplates.Render(kind, language, Longest(language) with { ProgramTitle = string.Concat(Enumerable.Repeat(letter, 200)) });

        AssertCarried(text, language);
        Assert.Contains(language == "en" ? "..." : "…", text);
    }

    [Fact]
    public void Budget_CountsTheCarrierPrefix()
    {
        Assert.Equal(6, CarrierText.InternationalPrefix.Length);
        Assert.Equal(128, SmsTemplates.BudgetFor(Languages.Korean));
        Assert.Equal(128, SmsTemplates.BudgetFor(Languages.Japanese));
        Assert.Equal(154, SmsTemplates.BudgetFor(Languages.English));
        Assert.False(SmsTemplates.Fits(new string('가', 129), Languages.Korean));
        Assert.True(SmsTemplates.Fits(new string('가', 128), Languages.Korean));
    }

    [Theory]
    [InlineData("예약 확정 K7M2-QX9P")]
    [InlineData("予約確定：マスクパレ―ド")]
    [InlineData("預約成功：假面遊行")]
    [InlineData("[Festival] 10:00, 3 people.")]
    public void CarrierText_EucKrTexts_AreCarried(string text) => Assert.True(CarrierText.CanCarry(text), CarrierText.Uncarriable(text));

    [Theory]
    [InlineData("예약 🎉")]
    [InlineData("预约")]
    [InlineData("line\nbreak")]
    [InlineData("똠")]
    public void CarrierText_CharactersCarriersDrop_AreRefused(string text) => Assert.False(CarrierText.CanCarry(text));

    [Fact]
    public void CarrierText_HangulOutsideKsX1001_EncodesIn949ButNotEucKr()
    {
        // 똠 is one of the 8,822 syllables code page 949 adds to EUC-KR: a carrier on EUC-KR would break it.
        Assert.True(CarrierText.EncodesIn949("똠"));
        Assert.False(CarrierText.CanCarry("똠"));
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
