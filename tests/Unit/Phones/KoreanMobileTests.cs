using FestivalReservations.Core.Phones;

namespace FestivalReservations.Tests.Unit.Phones;

public sealed class KoreanMobileTests
{
    [Theory]
    [InlineData("010-1234-5678")]
    [InlineData("01012345678")]
    [InlineData("+82 10 1234 5678")]
    [InlineData("82-10-1234-5678")]
    [InlineData("+82-10-1234-5678")]
    [InlineData("821012345678")]
    [InlineData(" 010 1234 5678 ")]
    public void TryParse_CommonMobileForms_E164(string text)
    {
        Assert.True(KoreanMobile.TryParse(text, out var mobile));
        Assert.Equal("+821012345678", mobile.E164);
    }

    [Fact]
    public void Masked_MobileNumber_MiddleDigitsHidden()
    {
        Assert.True(KoreanMobile.TryParse("010-1234-5678", out var mobile));
        Assert.Equal("010-****-5678", mobile.Masked);
    }

    [Fact]
    public void Mask_NotKorean_FullyHidden()
    {
        Assert.Equal("***", KoreanMobile.Mask("+12025550100"));
    }

    [Theory]
    [InlineData("02-312-3456")]
    [InlineData("031-123-4567")]
    [InlineData("070-1234-5678")]
    [InlineData("080-123-4567")]
    public void TryParse_LandlineInternetOrFreephone_Refused(string text)
    {
        Assert.False(KoreanMobile.TryParse(text, out _));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("12")]
    [InlineData("01234567890123456789012345678901234567890123456789")]
    [InlineData("+1 202 555 0100")]
    public void TryParse_Garbage_Refused(string? text)
    {
        Assert.False(KoreanMobile.TryParse(text, out _));
    }
}
