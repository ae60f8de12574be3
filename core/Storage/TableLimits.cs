namespace FestivalReservations.Core.Storage;

/// <summary>What Azure Table Storage allows, written once.</summary>
public static class TableLimits
{
    /// <summary>Operations one entity group transaction may hold (all in one partition).</summary>
    public const int MaxOperationsPerTransaction = 100;
}
