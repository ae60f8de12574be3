namespace FestivalReservations.Core.Localization;

/// <summary>
/// The languages the festival speaks, in one list: a reservation's language (which its SMS is
/// written in), the pages' languages and the catalog's translations all come from here.
/// Korean is the default; Chinese is Simplified Chinese (简体中文).
/// </summary>
public static class Languages
{
    public const string Korean = "ko";
    public const string English = "en";
    public const string Chinese = "zh";
    public const string Japanese = "ja";

    public const string Default = Korean;

    /// <summary>Every language, in the order the pages offer them.</summary>
    public static readonly IReadOnlyList<string> All = [Korean, English, Chinese, Japanese];

    /// <summary>The languages a catalog translates into beyond the two it must always have (ko, en).</summary>
    public static readonly IReadOnlyList<string> Translations = [Chinese, Japanese];

    /// <summary>The BCP 47 tag a page in <paramref name="language"/> carries: Chinese is written in Simplified characters.</summary>
    public static string Tag(string language) => language == Chinese ? "zh-Hans" : OrDefault(language);

    /// <summary>True for one of <see cref="All"/>, exactly as written (lower case, no region).</summary>
    public static bool IsKnown(string? language) => language is not null && All.Contains(language);

    /// <summary>A known language as it is; anything else (null, unknown) is the default.</summary>
    public static string OrDefault(string? language) => IsKnown(language) ? language! : Default;

    /// <summary>
    /// The first of ours an <c>Accept-Language</c> header asks for, by its q-values (ties in the
    /// header's order): <c>zh-CN</c> and <c>zh-Hans</c> are Chinese, <c>ja-JP</c> Japanese; q=0 means
    /// "not this". None of ours, or no header: the default.
    /// </summary>
    public static string FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Default;
        }

        var wanted = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select((entry, index) => (Language: Primary(entry), Quality: Quality(entry), Index: index))
            .Where(w => w.Quality > 0 && IsKnown(w.Language))
            .OrderByDescending(w => w.Quality)
            .ThenBy(w => w.Index)
            .Select(w => w.Language)
            .FirstOrDefault();
        return wanted ?? Default;
    }

    // "zh-Hans-CN;q=0.8" → "zh".
    private static string Primary(string entry) =>
        entry.Split(';', 2)[0].Split('-', 2)[0].Trim().ToLowerInvariant();

    private static double Quality(string entry)
    {
        foreach (var parameter in entry.Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(pair[1], System.Globalization.NumberStyles.AllowDecimalPoint,
                    System.Globalization.CultureInfo.InvariantCulture, out var q) && q is >= 0 and <= 1 ? q : 0;
            }
        }

        return 1;
    }

    /// <summary>"'ko', 'en', 'zh' or 'ja'", for messages that list the choices.</summary>
    public static string Listed { get; } =
        string.Join(", ", All.Take(All.Count - 1).Select(l => $"'{l}'")) + $" or '{All[^1]}'";
}
