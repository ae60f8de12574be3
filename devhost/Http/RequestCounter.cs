namespace FestivalReservations.DevHost.Http;

/// <summary>
/// How many HTTP function calls this devhost process has served (keys checked or not): the bench
/// reads it from GET /admin/metrics to see that every app instance of a run answered requests.
/// </summary>
public sealed class RequestCounter
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Served() => Interlocked.Increment(ref _total);
}
