using System.Globalization;
using System.Text;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Localization;
using FestivalReservations.Core.Phones;

namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>What a reservation request must look like: name, phone, party size and language.</summary>
public static class VisitorRequestRules
{
    public const int MaxNameLength = 40;

    /// <summary>1-40 characters after trimming (counted as text elements), no control or format characters.</summary>
    public static string? NameProblem(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "Enter a name.";
        }

        if (new StringInfo(trimmed).LengthInTextElements > MaxNameLength)
        {
            return $"A name has at most {MaxNameLength} characters.";
        }

        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (!IsNameCharacter(rune))
            {
                return "A name can hold letters, digits, spaces and . ' - · only.";
            }
        }

        return null;
    }

    /// <summary>
    /// Letters (Hangul, Latin, any script), combining marks, digits, single spaces and a few name
    /// punctuation marks. No symbols or emoji (SMS in Korea is EUC-KR), no control or direction marks.
    /// </summary>
    private static bool IsNameCharacter(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber => true,
        _ => rune.Value is ' ' or '.' or '\'' or '-' or '\u00B7',
    };

    public static string? PartySizeProblem(int? partySize, int maxPartySize) =>
        partySize is null ? "Enter a party size."
        : partySize < 1 || partySize > maxPartySize ? $"Party size must be between 1 and {maxPartySize}."
        : null;

    public static string? LanguageProblem(string? language) =>
        language is null || Languages.IsKnown(language) ? null : $"Language must be {Languages.Listed}.";

    public static DomainError? PhoneProblem(string? phone, out KoreanMobile mobile)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            mobile = null!;
            return DomainError.Validation("phone", "Enter a mobile phone number.");
        }

        return KoreanMobile.TryParse(phone, out mobile)
            ? null
            : new DomainError(ErrorCode.InvalidPhone, "The phone is not a Korean mobile number (010-1234-5678).",
                new Dictionary<string, string[]> { ["phone"] = ["Enter a Korean mobile number such as 010-1234-5678."] });
    }
}
