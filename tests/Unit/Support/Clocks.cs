using Microsoft.Extensions.Time.Testing;

namespace FestivalReservations.Tests.Unit.Support;

public static class Clocks
{
    public static FakeTimeProvider At(DateTimeOffset now) => new(now);

    /// <summary>Awaits a task that may sleep on the fake clock (backoff), advancing the clock until it completes.</summary>
    public static async Task<T> Advancing<T>(this FakeTimeProvider clock, Task<T> task)
    {
        for (var i = 0; !task.IsCompleted && i < 10_000; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        return await task;
    }
}
