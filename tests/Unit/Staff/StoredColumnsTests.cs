using FestivalReservations.Core.Privacy;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Staff;

/// <summary>
/// Every column of a reservation survives the changes written after it: a promotion's PromotedAt and
/// an erasure's ErasedAt used to be merged in by hand and dropped by the next full-row write.
/// </summary>
public sealed class StoredColumnsTests : IDisposable
{
    private readonly StaffApi _api = new();

    public void Dispose() => _api.Dispose();

    /// <summary>A waitlisted party promoted when the holder cancels; returns its code and its stored row.</summary>
    private async Task<(string Code, Reservation Stored)> PromotedAsync()
    {
        var holder = await _api.ReserveAsync("010-1000-0001", partySize: 2);
        await _api.ReserveAsync("010-1000-0002", partySize: 2);
        _api.Visitors.SetCounter(s => s with { Capacity = 4 });
        var waiting = await _api.ReserveAsync("010-2000-0001", partySize: 2, joinWaitlist: true);
        await _api.Visitors.CancelAsync(holder, VisitorApi.PhoneBody("010-1000-0001"));
        var promoted = _api.Stored(waiting);
        Assert.Equal(ReservationStatus.Confirmed, promoted.Status);
        Assert.NotNull(promoted.PromotedAt);
        return (waiting, promoted);
    }

    [Fact]
    public async Task CheckIn_PromotedReservation_KeepsPromotedAtAndEveryOtherColumn()
    {
        var (code, promoted) = await PromotedAsync();

        Assert.Equal(200, (await _api.CheckInAsync(code)).Status);

        var stored = _api.Stored(code);
        Assert.Equal(promoted with { Status = ReservationStatus.CheckedIn, CheckedInAt = stored.CheckedInAt }, stored);
        Assert.NotNull(stored.CheckedInAt);
    }

    [Fact]
    public async Task StaffCancel_PromotedReservation_KeepsPromotedAtAndEveryOtherColumn()
    {
        var (code, promoted) = await PromotedAsync();

        Assert.Equal(200, (await _api.CancelAsync(code, """{"reason":"rain"}""")).Status);

        var stored = _api.Stored(code);
        Assert.Equal(promoted with { Status = ReservationStatus.Cancelled, CancelledAt = stored.CancelledAt, CancelReason = "rain" }, stored);
    }

    [Fact]
    public async Task NoShow_PromotedReservation_KeepsPromotedAtAndEveryOtherColumn()
    {
        var (code, promoted) = await PromotedAsync();
        _api.Clock.SetUtcNow(_api.Counter().End.AddMinutes(1));

        Assert.True(await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None) >= 1);

        Assert.Equal(promoted with { Status = ReservationStatus.NoShow }, _api.Stored(code));
    }

    [Fact]
    public async Task NoShow_ErasedReservation_KeepsErasedAtAndEveryOtherColumn()
    {
        var code = await _api.ReserveAsync("010-3000-0001", partySize: 3);
        _api.Clock.SetUtcNow(_api.Counter().End.AddDays(31));
        var report = await _api.Retention.EraseExpiredAsync(CancellationToken.None);
        var erased = _api.Stored(code);
        Assert.True(report.Erased(ErasureKinds.Reservations) >= 1);
        Assert.Equal(("", ""), (erased.Name, erased.Phone));
        Assert.NotNull(erased.ErasedAt);

        Assert.True(await _api.NoShows.MarkEndedSessionsAsync(CancellationToken.None) >= 1);

        Assert.Equal(erased with { Status = ReservationStatus.NoShow }, _api.Stored(code));
    }
}
