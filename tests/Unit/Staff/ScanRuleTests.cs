using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Reservations.Rules;
using FestivalReservations.Core.Staff;

namespace FestivalReservations.Tests.Unit.Staff;

/// <summary>What a staff device may say about a scan: its time (a day old at most, not ahead), its name, the gate's sessions.</summary>
public sealed class ScanRuleTests
{
    private static readonly DateTimeOffset Now = new(2024, 9, 8, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_NothingSaid_IsFine() => Assert.Null(ScanRule.Validate(CheckInScan.None, Now));

    [Theory]
    [InlineData(-60 * 23, true)]
    [InlineData(1, true)]
    [InlineData(-60 * 25, false)]
    [InlineData(5, false)]
    public void Validate_ScannedAt_IsFromTheLastDayAndNotAhead(int minutes, bool valid)
    {
        var error = ScanRule.Validate(new CheckInScan { ScannedAt = Now.AddMinutes(minutes) }, Now);

        Assert.Equal(valid, error is null);
        if (!valid)
        {
            Assert.Equal(ErrorCode.ValidationFailed, error!.Code);
            Assert.True(error.Errors!.ContainsKey("scannedAt"));
        }
    }

    [Theory]
    [InlineData("tablet-1", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("tab\nlet", false)]
    [InlineData("a-device-name-that-is-far-too-long-for-anyone", false)]
    public void Validate_Device_IsShortAndPrintable(string device, bool valid) =>
        Assert.Equal(valid, ScanRule.Validate(new CheckInScan { Device = device }, Now) is null);

    [Fact]
    public void Validate_TooManySessions_IsRefused() =>
        Assert.NotNull(ScanRule.Validate(new CheckInScan { SessionIds = [.. Enumerable.Range(0, 65).Select(i => $"s{i}")] }, Now));
}
