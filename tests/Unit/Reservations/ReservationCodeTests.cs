using System.Text.RegularExpressions;
using FestivalReservations.Core.Reservations;

namespace FestivalReservations.Tests.Unit.Reservations;

public sealed partial class ReservationCodeTests
{
    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex Format();

    [Fact]
    public void New_ToString_TwoGroupsOfFourCrockford()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.Matches(Format(), ReservationCode.New().ToString());
        }
    }

    [Fact]
    public void Alphabet_ThirtyTwoSymbolsWithoutILOU()
    {
        Assert.Equal(32, ReservationCode.Alphabet.Distinct().Count());
        Assert.DoesNotContain('I', ReservationCode.Alphabet);
        Assert.DoesNotContain('L', ReservationCode.Alphabet);
        Assert.DoesNotContain('O', ReservationCode.Alphabet);
        Assert.DoesNotContain('U', ReservationCode.Alphabet);
    }

    [Fact]
    public void FromBytes_AllZero_AllZeroSymbols()
    {
        Assert.Equal("0000-0000", ReservationCode.FromBytes([0, 0, 0, 0, 0]).ToString());
    }

    [Fact]
    public void FromBytes_AllOnes_AllZ()
    {
        Assert.Equal("ZZZZ-ZZZZ", ReservationCode.FromBytes([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).ToString());
    }

    [Fact]
    public void FromBytes_LowestBit_LastSymbolOne()
    {
        Assert.Equal("00000001", ReservationCode.FromBytes([0, 0, 0, 0, 1]).Value);
    }

    [Fact]
    public void FromBytes_HighestBit_FirstSymbolSixteen()
    {
        // 1000 0000 ... : the first 5-bit group is 10000 = 16 = 'G'.
        Assert.Equal("G0000000", ReservationCode.FromBytes([0x80, 0, 0, 0, 0]).Value);
    }

    [Fact]
    public void FromBytes_KnownVector_MapsEveryFiveBitGroup()
    {
        // 00000 00001 00010 00011 00100 00101 00110 00111 = 0x00 0x44 0x32 0x14 0xC7
        Assert.Equal("01234567", ReservationCode.FromBytes([0x00, 0x44, 0x32, 0x14, 0xC7]).Value);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void FromBytes_NotFiveBytes_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => ReservationCode.FromBytes(new byte[length]));
    }

    [Theory]
    [InlineData("K7M2-QX9P")]
    [InlineData("K7M2QX9P")]
    [InlineData("k7m2-qx9p")]
    [InlineData("k7M2qX9p")]
    public void TryParse_CaseInsensitiveHyphenOptional_SameCode(string text)
    {
        Assert.True(ReservationCode.TryParse(text, out var code));
        Assert.Equal("K7M2QX9P", code.Value);
        Assert.Equal("K7M2-QX9P", code.ToString());
    }

    [Theory]
    [InlineData("I0L0-O0i0", "10100010")]
    [InlineData("oooo-llll", "00001111")]
    public void TryParse_ForgivingLetters_ReadAsDigits(string text, string expected)
    {
        Assert.True(ReservationCode.TryParse(text, out var code));
        Assert.Equal(expected, code.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("K7M2-QX9")]
    [InlineData("K7M2QX9")]
    [InlineData("K7M2-QX9PA")]
    [InlineData("K7M2QX9PA")]
    [InlineData("K7M-2QX9P")]
    [InlineData("K7M2_QX9P")]
    [InlineData("K7M2-QX9U")]
    [InlineData("K7M2 QX9P")]
    [InlineData("K7M2-QX9!")]
    public void TryParse_WrongLengthOrCharacters_Refused(string? text)
    {
        Assert.False(ReservationCode.TryParse(text, out _));
    }

    [Fact]
    public void New_TenThousandCodes_DistinctAndEveryPositionUsesAllSymbols()
    {
        var codes = Enumerable.Range(0, 10_000).Select(_ => ReservationCode.New().Value).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        for (var position = 0; position < ReservationCode.Length; position++)
        {
            // ~312 expected per symbol; all 32 appear with overwhelming probability if the RNG is uniform.
            Assert.Equal(32, codes.Select(c => c[position]).Distinct().Count());
        }
    }

    [Fact]
    public void Source_IsTheOperatingSystemsCryptographicRng()
    {
        // RandomNumberGenerator.Create() is the OS CSPRNG (getrandom / BCryptGenRandom); not System.Random.
        Assert.Equal("System.Security.Cryptography.RandomNumberGeneratorImplementation", ReservationCode.Source.GetType().FullName);
    }

    [Fact]
    public void New_EveryBitComesFromTheGenerator()
    {
        byte[] bits = [0b1010_1010, 0b0101_0101, 0xFF, 0x00, 0x3C];
        var scripted = new ScriptedRandom(bits);

        var code = ReservationCode.New(scripted);

        Assert.Equal(ReservationCode.FromBytes(bits), code);
        Assert.Equal(5, scripted.BytesDrawn);
    }

    [Fact]
    public void NewOnOneShelf_EveryCodeOnTheFirstCodesShelf_TheRestOfEachDrawnForIt()
    {
        byte[] bits = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x44, 0x32, 0x14, 0xC7];
        var scripted = new ScriptedRandom(bits);

        var codes = ReservationCode.NewOnOneShelf(3, scripted);

        Assert.Equal(["ZZZZZZZZ", "ZZ000001", "ZZ234567"], codes.Select(c => c.Value));
        Assert.All(codes, c => Assert.Equal("ZZ", c.Shelf));
        Assert.Equal(15, scripted.BytesDrawn);
    }

    [Fact]
    public void NewOnOneShelf_ManyRounds_ShelvesAndTheOtherSymbolsUseTheWholeAlphabet()
    {
        var rounds = Enumerable.Range(0, 2_000).Select(_ => ReservationCode.NewOnOneShelf(5)).ToList();

        Assert.All(rounds, r => Assert.Single(r.Select(c => c.Shelf).Distinct()));
        Assert.Equal(10_000, rounds.SelectMany(r => r).Select(c => c.Value).Distinct().Count());
        var all = rounds.SelectMany(r => r).Select(c => c.Value).ToList();
        for (var position = 0; position < ReservationCode.Length; position++)
        {
            Assert.Equal(32, all.Select(c => c[position]).Distinct().Count());
        }
    }

    [Fact]
    public void Parse_StoredForm_RoundTrips_AndMalformed_Throws()
    {
        Assert.Equal("K7M2QX9P", ReservationCode.Parse("K7M2QX9P").Value);
        Assert.Equal("K7", ReservationCode.Parse("k7m2-qx9p").Shelf);
        Assert.Throws<FormatException>(() => ReservationCode.Parse("K7M2"));
    }

    private sealed class ScriptedRandom(byte[] bytes) : System.Security.Cryptography.RandomNumberGenerator
    {
        public int BytesDrawn { get; private set; }

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            bytes.AsSpan(BytesDrawn, data.Length).CopyTo(data);
            BytesDrawn += data.Length;
        }
    }
}
