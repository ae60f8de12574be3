using PhoneNumbers;

namespace FestivalReservations.Core.Phones;

/// <summary>
/// A Korean mobile number (the only kind that receives SMS), parsed from any common form
/// (010-1234-5678, 01012345678, +82 10 1234 5678, 82-10-...) and kept as E.164.
/// </summary>
public sealed record KoreanMobile
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private KoreanMobile(string e164) => E164 = e164;

    /// <summary>+821012345678.</summary>
    public string E164 { get; }

    /// <summary>010-****-5678: the national form with the middle digits hidden, for screens and logs.</summary>
    public string Masked => Mask(E164);

    public static bool TryParse(string? text, out KoreanMobile mobile)
    {
        mobile = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return false;
        }

        var candidate = text.Trim();
        // "82-10-1234-5678" and "8210..." are international numbers written without the plus.
        if (candidate.StartsWith("82", StringComparison.Ordinal) && candidate.Count(char.IsAsciiDigit) >= 11)
        {
            candidate = "+" + candidate;
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(candidate, "KR");
        }
        catch (NumberParseException)
        {
            return false;
        }

        if (number.CountryCode != 82 || !Util.IsValidNumber(number) || Util.GetNumberType(number) != PhoneNumberType.MOBILE)
        {
            return false;
        }

        mobile = new KoreanMobile(Util.Format(number, PhoneNumberFormat.E164));
        return true;
    }

    /// <summary>Masks a stored E.164 number as 010-****-5678 (010-***-5678 for the older 3-digit middle).</summary>
    public static string Mask(string e164)
    {
        if (!e164.StartsWith("+82", StringComparison.Ordinal) || e164.Length < 10)
        {
            return "***";
        }

        var national = "0" + e164[3..];
        var last = national[^4..];
        var middle = new string('*', national.Length - 3 - 4);
        return $"{national[..3]}-{middle}-{last}";
    }
}
