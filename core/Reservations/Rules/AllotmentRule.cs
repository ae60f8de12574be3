namespace FestivalReservations.Core.Reservations.Rules;

/// <summary>
/// How many allotments a session's free seats are spread over before a booking round: enough that
/// app instances booking it at once write different rows, never so many that an allotment holds
/// fewer than <see cref="ReservationOptions.MinSeatsPerAllotment"/> seats. Seats are spread only
/// while nobody waits and the counter holds at least two allotments' worth; the few seats a
/// cancellation frees stay on the counter.
/// </summary>
public static class AllotmentRule
{
    /// <summary>Allotment rows are "a-00" to "a-99".</summary>
    public const int MaxAllotments = 100;

    /// <returns>The allotments to spread the counter's free seats over now; 0: leave them on the counter.</returns>
    public static int ToDistribute(SessionState state, ReservationOptions options)
    {
        if (options.Allotments < 2 || state.WaitlistParties > 0 || state.Remaining < 2 * options.MinSeatsPerAllotment)
        {
            return 0;
        }

        return state.Allotments > 0
            ? state.Allotments
            : Math.Clamp(state.Remaining / options.MinSeatsPerAllotment, 2, options.Allotments);
    }
}
