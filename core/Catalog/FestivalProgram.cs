namespace FestivalReservations.Core.Catalog;

/// <summary>A program of the festival (a parade, an audition, a picnic zone) and its sessions.</summary>
public sealed record FestivalProgram(
    string ProgramId,
    string Theme,
    LocalizedText Title,
    LocalizedText Description,
    LocalizedText Location,
    int DurationMinutes,
    int MaxPartySize,
    bool WaitlistSkipAhead,
    IReadOnlyList<SessionDefinition> Sessions);
