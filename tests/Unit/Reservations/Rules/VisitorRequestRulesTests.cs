using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Rules;

namespace FestivalReservations.Tests.Unit.Reservations.Rules;

public sealed class VisitorRequestRulesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t \u3000")]
    public void NameProblem_EmptyOrWhitespace_Refused(string? name)
    {
        Assert.NotNull(VisitorRequestRules.NameProblem(name));
    }

    [Fact]
    public void NameProblem_FortyLatinLetters_Accepted()
    {
        Assert.Null(VisitorRequestRules.NameProblem(new string('a', 40)));
    }

    [Fact]
    public void NameProblem_FortyOneLatinLetters_Refused()
    {
        Assert.NotNull(VisitorRequestRules.NameProblem(new string('a', 41)));
    }

    [Fact]
    public void NameProblem_FortyHangulSyllables_Accepted()
    {
        Assert.Null(VisitorRequestRules.NameProblem(new string('가', 40)));
    }

    [Fact]
    public void NameProblem_FortyOneHangulSyllables_Refused()
    {
        Assert.NotNull(VisitorRequestRules.NameProblem(new string('한', 41)));
    }

    [Fact]
    public void NameProblem_FortyTextElementsWithCombiningMarks_Accepted()
    {
        // "é" written as e + U+0301 is one text element but two chars: 80 chars, 40 elements.
        Assert.Null(VisitorRequestRules.NameProblem(string.Concat(Enumerable.Repeat("e\u0301", 40))));
    }

    [Fact]
    public void NameProblem_FortyLettersInsideSurroundingSpaces_AcceptedAfterTrim()
    {
        Assert.Null(VisitorRequestRules.NameProblem("  " + new string('b', 40) + "  "));
    }

    [Theory]
    [InlineData("Kim\u0000Minsu")]
    [InlineData("Kim\nMinsu")]
    [InlineData("Kim\tMinsu")]
    [InlineData("Kim\u007FMinsu")]
    public void NameProblem_ControlCharacter_Refused(string name)
    {
        Assert.NotNull(VisitorRequestRules.NameProblem(name));
    }

    [Theory]
    [InlineData("Kim\u202EusniM")]
    [InlineData("Kim\u200BMinsu")]
    [InlineData("\u2066Kim\u2069")]
    public void NameProblem_DirectionOrFormatCharacter_Refused(string name)
    {
        Assert.NotNull(VisitorRequestRules.NameProblem(name));
    }

    [Theory]
    [InlineData("김민수 😀")]
    [InlineData("👍")]
    [InlineData("Kim ♥")]
    public void NameProblem_EmojiOrSymbol_Refused(string name)
    {
        Assert.NotNull(VisitorRequestRules.NameProblem(name));
    }

    [Theory]
    [InlineData("김민수")]
    [InlineData("Minsu Kim")]
    [InlineData("Jean-Luc")]
    [InlineData("O'Brien")]
    [InlineData("이 Ji-eun")]
    [InlineData("J. R. Smith")]
    [InlineData("Zoë")]
    public void NameProblem_HangulLatinHyphenApostrophe_Accepted(string name)
    {
        Assert.Null(VisitorRequestRules.NameProblem(name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void PartySizeProblem_WithinBounds_Accepted(int size)
    {
        Assert.Null(VisitorRequestRules.PartySizeProblem(size, 4));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(5)]
    public void PartySizeProblem_MissingOrOutOfBounds_Refused(int? size)
    {
        Assert.NotNull(VisitorRequestRules.PartySizeProblem(size, 4));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ko")]
    [InlineData("en")]
    [InlineData("zh")]
    [InlineData("ja")]
    public void LanguageProblem_KoEnZhJaOrDefault_Accepted(string? language)
    {
        Assert.Null(VisitorRequestRules.LanguageProblem(language));
    }

    [Theory]
    [InlineData("")]
    [InlineData("EN")]
    [InlineData("fr")]
    [InlineData("zh-CN")]
    [InlineData("ko-KR")]
    public void LanguageProblem_Other_Refused(string language)
    {
        Assert.NotNull(VisitorRequestRules.LanguageProblem(language));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void PhoneProblem_Missing_ValidationFailed(string? phone)
    {
        Assert.Equal(ErrorCode.ValidationFailed, VisitorRequestRules.PhoneProblem(phone, out _)?.Code);
    }

    [Fact]
    public void PhoneProblem_Landline_InvalidPhone()
    {
        var error = VisitorRequestRules.PhoneProblem("02-312-3456", out _);

        Assert.Equal(ErrorCode.InvalidPhone, error?.Code);
        Assert.True(error!.Errors!.ContainsKey("phone"));
    }

    [Fact]
    public void PhoneProblem_Mobile_NoProblemAndParsed()
    {
        Assert.Null(VisitorRequestRules.PhoneProblem("010-1234-5678", out var mobile));
        Assert.Equal("+821012345678", mobile.E164);
    }
}
