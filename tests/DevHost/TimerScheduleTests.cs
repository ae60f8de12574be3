using FestivalReservations.DevHost.Timers;
using Microsoft.Extensions.Configuration;

namespace FestivalReservations.Tests.DevHost;

public class TimerScheduleTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["SweepSchedule"] = "30 */5 * * * *", ["Sms:Schedule"] = "0 0 9 * * *" })
        .Build();

    [Theory]
    [InlineData("0 */5 * * * *", "2024-09-08T10:02:03Z", "2024-09-08T10:05:00Z")]
    [InlineData("%SweepSchedule%", "2024-09-08T10:02:03Z", "2024-09-08T10:05:30Z")]
    [InlineData("%Sms__Schedule%", "2024-09-08T10:02:03Z", "2024-09-09T09:00:00Z")]
    [InlineData("*/10 * * * * *", "2024-09-08T10:02:03Z", "2024-09-08T10:02:10Z")]
    [InlineData("0 0 * * 1", "2024-09-08T10:02:03Z", "2024-09-09T00:00:00Z")]
    [InlineData("00:00:30", "2024-09-08T10:02:03Z", "2024-09-08T10:02:33Z")]
    public void Next_FollowsTheSchedule(string schedule, string after, string expected)
    {
        var parsed = TimerSchedule.Parse(schedule, Settings, "Sweep");

        Assert.Equal(DateTimeOffset.Parse(expected), parsed.Next(DateTimeOffset.Parse(after)));
    }

    [Fact]
    public void Parse_MissingSettingNamesFunctionAndSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TimerSchedule.Parse("%Nope%", Settings, "Sweep"));

        Assert.Contains("Sweep", error.Message);
        Assert.Contains("Nope", error.Message);
    }

    [Theory]
    [InlineData("every minute")]
    [InlineData("0 */5 * * * * *")]
    [InlineData("99 * * * * *")]
    public void Parse_InvalidScheduleNamesFunction(string schedule)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TimerSchedule.Parse(schedule, Settings, "Sweep"));

        Assert.Contains("Sweep", error.Message);
    }
}
