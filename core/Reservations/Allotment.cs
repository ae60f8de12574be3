namespace FestivalReservations.Core.Reservations;

/// <summary>
/// One of a session's allotment rows: seats moved off the counter so that bookings can be written
/// without touching it. <see cref="Free"/> seats are left to give; <see cref="Taken"/> were given
/// since the allotment was last folded back. An allotment belongs to no app instance: any instance
/// may take from any allotment (the row's ETag decides between them), so none is ever stranded.
/// It may only be used while its <see cref="Epoch"/> is the counter's.
/// </summary>
public sealed record Allotment(int Index, int Free, int Taken, long Epoch)
{
    /// <summary>Seats this allotment holds against the counter's <see cref="SessionState.Escrow"/>.</summary>
    public int Held => Free + Taken;
}
