using FestivalReservations.Testing;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>`bench -- season`: seeds its own in-memory Azurite and prints the before/after table.</summary>
public static class SeasonReport
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"== season: {SeasonRunner.PastSessions} past sessions, {SeasonRunner.SmsMessages:N0} SMS; pending: "
            + $"{SeasonRunner.PendingSessions} outbox rows, {SeasonRunner.FailedSms} failed SMS");
        await using var azurite = await AzuriteProcess.StartNewAsync(inMemory: true, cancellationToken);
        var timings = await SeasonRunner.RunAsync(azurite.ConnectionString, Console.Error, cancellationToken);
        Console.WriteLine("| look-up | found | old layout ms | rows read | new layout ms | rows read |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var t in timings)
        {
            Console.WriteLine($"| {t.LookUp} | {t.Found} | {t.OldMs:F0} | {t.OldRowsRead:N0} | {t.NewMs:F1} | {t.NewRowsRead:N0} |");
        }

        return 0;
    }
}
