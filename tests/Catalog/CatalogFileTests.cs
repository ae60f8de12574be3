using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Catalog;

/// <summary>
/// Checks the shipped catalog file (functions/catalog/2024-autumn.json) against the rules the
/// app and the SMS budget rely on. Reads the source file, not a copy, so a broken edit fails here.
/// </summary>
public sealed partial class CatalogFileTests
{
    private static readonly string[] ExpectedDates =
    [
        "2024-09-01", "2024-09-08", "2024-09-22", "2024-09-29",
        "2024-10-06", "2024-10-13", "2024-10-20", "2024-10-27",
    ];

    private static readonly string[] Themes = ["art", "play", "health", "relaxation"];
    private static readonly TimeOnly Opens = new(13, 0);
    private static readonly TimeOnly Closes = new(21, 0);

    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        var path = Path.Combine(RepositoryPaths.Root, "functions", "catalog", "2024-autumn.json");
        return JsonDocument.Parse(File.ReadAllText(path));
    });

    private static JsonElement Root => Document.Value.RootElement;

    private static IEnumerable<JsonElement> Programs => Root.GetProperty("programs").EnumerateArray();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex HourMinute();

    [Fact]
    public void Festival_HeaderIsTheAutumn2024Season()
    {
        Assert.Equal("jamsugyo-2024-autumn", Root.GetProperty("festivalId").GetString());
        Assert.Equal("차 없는 잠수교 뚜벅뚜벅 축제", Root.GetProperty("name").GetProperty("ko").GetString());
        Assert.Equal("Car-Free Jamsugyo Bridge Festival", Root.GetProperty("name").GetProperty("en").GetString());
        AssertText(Root.GetProperty("venue"), "venue", maxKo: 100, maxEn: 100);
        Assert.Equal("Asia/Seoul", Root.GetProperty("timeZone").GetString());
        Assert.NotNull(TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul"));
        Assert.Equal("13:00", Root.GetProperty("openingHours").GetProperty("start").GetString());
        Assert.Equal("21:00", Root.GetProperty("openingHours").GetProperty("end").GetString());
        Assert.Equal(6, Root.GetProperty("bookingOpens").GetProperty("daysBefore").GetInt32());
        Assert.Equal("10:00", Root.GetProperty("bookingOpens").GetProperty("time").GetString());
    }

    [Fact]
    public void Dates_AreTheEightSundaysWithoutChuseok()
    {
        var dates = Root.GetProperty("dates").EnumerateArray().Select(d => d.GetString()!).ToArray();

        Assert.Equal(ExpectedDates, dates);
        Assert.DoesNotContain("2024-09-15", dates);
        Assert.All(dates, d => Assert.Equal(DayOfWeek.Sunday, ParseDate(d).DayOfWeek));
    }

    [Fact]
    public void Programs_HaveUniqueKebabCaseIds_AndCoverEveryTheme()
    {
        var ids = Programs.Select(p => p.GetProperty("programId").GetString()!).ToList();

        Assert.True(ids.Count >= 10, $"expected at least 10 programs, found {ids.Count}");
        Assert.All(ids, id => Assert.Matches(KebabCase(), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        var themes = Programs.Select(p => p.GetProperty("theme").GetString()).ToHashSet();
        Assert.All(themes, t => Assert.Contains(t, Themes));
        Assert.All(Themes, t => Assert.Contains(t, themes));
    }

    [Theory]
    [InlineData("hangang-rising-star", "라이징스타")]
    [InlineData("mask-parade", "가면 퍼레이드")]
    [InlineData("boat-parade", "보트 퍼레이드")]
    [InlineData("picnic-zone", "피크닉")]
    public void NamedPrograms_ArePresent(string programId, string koreanTitlePart)
    {
        var program = Assert.Single(Programs, p => p.GetProperty("programId").GetString() == programId);
        Assert.Contains(koreanTitlePart, program.GetProperty("title").GetProperty("ko").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PicnicZone_HasSeveralTwoHourSessions()
    {
        var picnic = Programs.Single(p => p.GetProperty("programId").GetString() == "picnic-zone");
        Assert.Equal(120, picnic.GetProperty("durationMinutes").GetInt32());
        Assert.Equal("relaxation", picnic.GetProperty("theme").GetString());
        Assert.All(ExpectedDates, date => Assert.True(
            ExpandSessions(picnic).Count(s => s.Date == date) >= 3,
            $"picnic-zone should have at least 3 sessions on {date}"));
    }

    [Fact]
    public void Programs_TextsFitTheSmsBudget()
    {
        var problems = new List<string>();
        foreach (var program in Programs)
        {
            var id = program.GetProperty("programId").GetString();
            problems.AddRange(TextProblems(program.GetProperty("title"), $"{id}.title", maxKo: 20, maxEn: 32));
            problems.AddRange(TextProblems(program.GetProperty("description"), $"{id}.description", maxKo: 140, maxEn: 140));
            problems.AddRange(TextProblems(program.GetProperty("location"), $"{id}.location", maxKo: 40, maxEn: 60));

            // SMS to Korean phones is EUC-KR only: a Korean title that does not encode would break the message.
            var titleKo = program.GetProperty("title").GetProperty("ko").GetString()!;
            if (!CarrierText.CanCarry(titleKo))
            {
                problems.Add($"{id}.title.ko '{titleKo}' has characters outside EUC-KR: {CarrierText.Uncarriable(titleKo)}");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Translations_ChineseAndJapanese_InEveryProgramAndForTheFestival()
    {
        var problems = new List<string>();
        var texts = new List<(string Name, JsonElement Text)> { ("name", Root.GetProperty("name")), ("venue", Root.GetProperty("venue")) };
        foreach (var program in Programs)
        {
            var id = program.GetProperty("programId").GetString();
            texts.AddRange(new[] { "title", "description", "location" }.Select(field => ($"{id}.{field}", program.GetProperty(field))));
        }

        foreach (var (name, text) in texts)
        {
            if (!text.TryGetProperty("zh", out var zh) || !(zh.GetString() ?? "").Any(c => c is >= '\u4E00' and <= '\u9FFF'))
            {
                problems.Add($"{name}.zh is missing or has no Chinese characters");
            }

            // Japanese place names may be kanji alone (月光広場 芝生), but never the Chinese text.
            if (!text.TryGetProperty("ja", out var ja) || !(ja.GetString() ?? "").Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF')
                || (zh.ValueKind == JsonValueKind.String && ja.GetString() == zh.GetString()))
            {
                problems.Add($"{name}.ja is missing, has no kana or kanji, or is the Chinese text");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Programs_HaveValidLimits()
    {
        var problems = new List<string>();
        foreach (var program in Programs)
        {
            var id = program.GetProperty("programId").GetString();
            var duration = program.GetProperty("durationMinutes").GetInt32();
            var party = program.GetProperty("maxPartySize").GetInt32();
            if (duration is < 10 or > 480)
            {
                problems.Add($"{id}: durationMinutes {duration} is not between 10 and 480");
            }

            if (party is < 1 or > 6)
            {
                problems.Add($"{id}: maxPartySize {party} is not between 1 and 6");
            }

            if (program.GetProperty("waitlistSkipAhead").ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problems.Add($"{id}: waitlistSkipAhead is not a boolean");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Sessions_AreValid()
    {
        var problems = new List<string>();
        foreach (var program in Programs)
        {
            var id = program.GetProperty("programId").GetString();
            var duration = program.GetProperty("durationMinutes").GetInt32();
            var sessions = program.GetProperty("sessions");
            if (sessions.GetArrayLength() == 0)
            {
                problems.Add($"{id}: no sessions");
            }

            foreach (var session in sessions.EnumerateArray())
            {
                var capacity = session.GetProperty("capacity").GetInt32();
                if (capacity is < 20 or > 1000)
                {
                    problems.Add($"{id}: capacity {capacity} is not between 20 and 1000");
                }

                if (session.TryGetProperty("dates", out var dates))
                {
                    if (dates.GetArrayLength() == 0)
                    {
                        problems.Add($"{id}: an empty dates list (leave it out to mean every date)");
                    }

                    foreach (var date in dates.EnumerateArray().Select(d => d.GetString()!))
                    {
                        if (!ExpectedDates.Contains(date))
                        {
                            problems.Add($"{id}: {date} is not a festival date");
                        }
                    }
                }

                var times = session.GetProperty("times");
                if (times.GetArrayLength() == 0)
                {
                    problems.Add($"{id}: a session entry without times");
                }

                foreach (var text in times.EnumerateArray().Select(t => t.GetString() ?? ""))
                {
                    if (!HourMinute().IsMatch(text))
                    {
                        problems.Add($"{id}: '{text}' is not HH:mm");
                        continue;
                    }

                    var start = TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
                    var end = start.Add(TimeSpan.FromMinutes(duration), out var wrapped);
                    if (start < Opens)
                    {
                        problems.Add($"{id}: {text} starts before 13:00");
                    }

                    if (wrapped != 0 || end > Closes)
                    {
                        problems.Add($"{id}: {text} + {duration} min ends after 21:00");
                    }
                }
            }

            var slots = ExpandSessions(program).ToList();
            foreach (var repeated in slots.GroupBy(s => (s.Date, s.Time)).Where(g => g.Count() > 1))
            {
                problems.Add($"{id}: {repeated.Key.Date} {repeated.Key.Time} appears {repeated.Count()} times");
            }

            foreach (var date in ExpectedDates.Where(d => slots.Count(s => s.Date == d) < 2))
            {
                problems.Add($"{id}: fewer than 2 sessions on {date}");
            }
        }

        Assert.Empty(problems);
    }

    private static IEnumerable<(string Date, string Time, int Capacity)> ExpandSessions(JsonElement program)
    {
        foreach (var session in program.GetProperty("sessions").EnumerateArray())
        {
            var dates = session.TryGetProperty("dates", out var d)
                ? d.EnumerateArray().Select(x => x.GetString()!).ToArray()
                : ExpectedDates;
            var capacity = session.GetProperty("capacity").GetInt32();
            foreach (var date in dates)
            {
                foreach (var time in session.GetProperty("times").EnumerateArray())
                {
                    yield return (date, time.GetString()!, capacity);
                }
            }
        }
    }

    private static void AssertText(JsonElement text, string name, int maxKo, int maxEn) =>
        Assert.Empty(TextProblems(text, name, maxKo, maxEn));

    private static IEnumerable<string> TextProblems(JsonElement text, string name, int maxKo, int maxEn)
    {
        // zh and ja take the Korean limits: CJK texts are about as long in characters.
        foreach (var (language, max) in new[] { ("ko", maxKo), ("en", maxEn), ("zh", maxKo), ("ja", maxKo) })
        {
            if (!text.TryGetProperty(language, out var value) || value.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(value.GetString()))
            {
                yield return $"{name}.{language} is missing or empty";
                continue;
            }

            var s = value.GetString()!;
            var length = new StringInfo(s).LengthInTextElements;
            if (length > max)
            {
                yield return $"{name}.{language} has {length} characters, more than {max}";
            }

            if (s != s.Trim())
            {
                yield return $"{name}.{language} has leading or trailing spaces";
            }
        }

        if (text.TryGetProperty("ko", out var ko) && ko.ValueKind == JsonValueKind.String
            && !(ko.GetString() ?? "").Any(c => c is >= '\uAC00' and <= '\uD7A3'))
        {
            yield return $"{name}.ko has no Hangul";
        }
    }

    private static DateOnly ParseDate(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
