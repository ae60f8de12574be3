using FestivalReservations.Testing;

namespace FestivalReservations.Bench.Scenarios;

/// <summary>`bench -- lottery`: its own in-memory Azurite, 20,000 entries for 300 seats, the draw timed and checked.</summary>
public static class LotteryReport
{
    public static async Task<int> RunAsync(int entries, int seats, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"== lottery: {entries:N0} entries for {seats:N0} seats");
        await using var azurite = await AzuriteProcess.StartNewAsync(inMemory: true, cancellationToken);
        var f = await LotteryRunner.RunAsync(azurite.ConnectionString, entries, seats, Console.Error, cancellationToken);
        Console.WriteLine($"Bench of {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores: `dotnet run -c Release --project bench -- lottery`");
        Console.WriteLine();
        Console.WriteLine("| Entries | Seats | Entering s | Draw s | Entry rows the draw wrote | Parties seated | Seats taken | Waitlisted | Not selected | Order = recomputed | Outcomes = recomputed | Draw within 60 s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        Console.WriteLine($"| {f.Entries:N0} | {f.Seats:N0} | {f.EnterSeconds:F1} | {f.DrawSeconds:F1} | {f.RowsWritten:N0} | {f.Won:N0} | {f.SeatsTaken:N0} | {f.Waitlisted:N0} | {f.NotSelected:N0} | {Yes(f.OrderMatches)} | {Yes(f.StatusesMatch && f.WithinSeats)} | {Yes(f.DrawWithinAMinute)} |");
        return f.Passed ? 0 : 1;
    }

    private static string Yes(bool ok) => ok ? "yes" : "NO";
}
