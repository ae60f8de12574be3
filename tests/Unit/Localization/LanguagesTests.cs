using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Localization;

namespace FestivalReservations.Tests.Unit.Localization;

public sealed class LanguagesTests
{
    [Theory]
    [InlineData(null, "ko")]
    [InlineData("", "ko")]
    [InlineData("fr-FR,fr;q=0.9", "ko")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh")]
    [InlineData("zh-Hans-CN", "zh")]
    [InlineData("ja-JP", "ja")]
    [InlineData("en-US,en;q=0.9,ko;q=0.8", "en")]
    [InlineData("de;q=1, ja;q=0.5, en;q=0.7", "en")]
    [InlineData("ko-KR,ko;q=0.9", "ko")]
    [InlineData("ja;q=0, zh;q=0.2", "zh")]
    [InlineData("*", "ko")]
    [InlineData("EN", "en")]
    public void FromAcceptLanguage_PicksTheBestOfOurs(string? header, string expected) =>
        Assert.Equal(expected, Languages.FromAcceptLanguage(header));

    [Fact]
    public void All_IsKoEnZhJa_KoreanFirst()
    {
        Assert.Equal(["ko", "en", "zh", "ja"], Languages.All);
        Assert.Equal("'ko', 'en', 'zh' or 'ja'", Languages.Listed);
    }

    [Fact]
    public void LocalizedText_WithoutATranslation_ReadsEnglish()
    {
        var text = new LocalizedText("가면", "Mask") { Ja = "仮面" };

        Assert.Equal("仮面", text.In("ja"));
        Assert.Equal("Mask", text.In("zh"));
        Assert.Null(text.Own("zh"));
        Assert.Equal("가면", text.In("fr"));
    }
}
