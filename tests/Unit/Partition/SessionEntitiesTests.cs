using System.Reflection;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Tests.Unit.Partition;

/// <summary>The one typed mapping of a session's rows: every column goes into storage and comes back.</summary>
public sealed class SessionEntitiesTests
{
    private static readonly DateTimeOffset At = new(2024, 9, 8, 6, 0, 0, TimeSpan.Zero);

    /// <summary>A reservation with every property set to something other than its default.</summary>
    private static Reservation Everything() => new()
    {
        Code = "K7M2QX9P",
        SessionId = "mask-parade.20240908.1500",
        ProgramId = "mask-parade",
        Name = "김민수",
        Phone = "+821012345678",
        PartySize = 3,
        Language = "en",
        Status = ReservationStatus.CheckedIn,
        CreatedAt = At,
        WaitlistSeq = 7,
        CheckedInAt = At.AddHours(1),
        CheckInDevice = "tablet-2",
        RemindersOff = true,
        CancelledAt = At.AddHours(2),
        CancelReason = "rain",
        PromotedAt = At.AddHours(3),
        ErasedAt = At.AddHours(4),
        DrawRank = 12,
    };

    [Fact]
    public void Sample_SetsEveryProperty_SoANewColumnCannotBeForgotten()
    {
        var sample = Everything();
        var unset = typeof(Reservation).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Where(p => p.GetValue(sample) is null || Equals(p.GetValue(sample), p.PropertyType.IsValueType ? Activator.CreateInstance(p.PropertyType) : null))
            .Select(p => p.Name)
            .ToList();

        Assert.Empty(unset);
    }

    [Fact]
    public void ToEntity_EveryReservationColumn_RoundTrips()
    {
        var sample = Everything();

        var back = SessionEntities.ToReservation(SessionEntities.ToEntity(sample));

        Assert.Equal(sample, back);
    }

    [Fact]
    public void ToEntity_Counter_RoundTrips()
    {
        var state = Support.Sessions.State(capacity: 40, reserved: 12, waitlisted: 3, waitlistParties: 2, closed: true) with
        {
            CheckedIn = 5,
            NoShows = 1,
            NextWaitlistSeq = 9,
        };

        Assert.Equal(state, SessionEntities.ToSession(SessionEntities.ToEntity(state)));
    }

    [Fact]
    public void ToEntity_LotteryCounter_RoundTripsWithItsSeedAndCursor()
    {
        var state = Support.Sessions.State(capacity: 40, reserved: 12) with
        {
            Lottery = new FestivalReservations.Core.Lotteries.LotteryState
            {
                Window = new(At.AddDays(-6), At.AddDays(-3), At.AddDays(-2)),
                Seed = FestivalReservations.Core.Lotteries.LotterySeed.New(),
                Entries = 500,
                Drawn = 120,
                Won = 11,
                WaitlistedByDraw = 7,
                DrawnAt = At.AddDays(-2),
            },
        };

        var entity = SessionEntities.ToEntity(state);

        Assert.Equal(state, SessionEntities.ToSession(entity));
        Assert.Equal("lottery", entity.GetString("Allocation"));
        Assert.Null(SessionEntities.ToSession(SessionEntities.ToEntity(state with { Lottery = null })).Lottery);
    }
}
