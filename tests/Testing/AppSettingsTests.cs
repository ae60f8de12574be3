using FestivalReservations.Testing;

namespace FestivalReservations.Tests.Testing;

public sealed class AppSettingsTests
{
    [Fact]
    public void For_TwoApps_EachHasAnSmsQueueOfItsOwn()
    {
        var first = AppSettings.For("x");
        var second = AppSettings.For("x");

        Assert.StartsWith("sms-", first.SmsQueueName);
        Assert.NotEqual(first.SmsQueueName, second.SmsQueueName);
        Assert.Equal(first.SmsQueueName, first.Copy().SmsQueueName);
    }

    [Fact]
    public void For_ReadsNoLocalSettingsAndHasNoTwilio()
    {
        var settings = AppSettings.For("x").ToConfiguration();

        Assert.Equal("true", settings["DevHost:DisableLocalSettings"]);
        Assert.DoesNotContain(settings.Keys, key => key.StartsWith("Twilio", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Set_DoubleUnderscoreKeys_AreTheSameSetting_AndNullClearsIt()
    {
        var settings = AppSettings.For("x").Set("Festival__Now", "2024-09-02T12:00:00+09:00").Set("DevHost:DisableTimers", null);

        Assert.Equal("2024-09-02T12:00:00+09:00", settings["Festival:Now"]);
        Assert.Equal("2024-09-02T12:00:00+09:00", settings.ToEnvironment()["Festival__Now"]);
        Assert.DoesNotContain("DevHost:DisableTimers", settings.ToConfiguration().Keys);
    }

    [Fact]
    public void RedeliveryWindow_OutlastsTheVisibilityTimeoutAndAPoll()
    {
        var settings = AppSettings.For("x").Set(AppSettings.QueueVisibilityTimeoutKey, "00:00:05");

        Assert.Equal(TimeSpan.FromSeconds(2), AppSettings.QueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(6.2), settings.RedeliveryWindow);
    }
}
