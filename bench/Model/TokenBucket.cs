namespace FestivalReservations.Bench.Model;

/// <summary>A throughput target as storage enforces it: <see cref="Rate"/> entities a second, a tenth of a second's worth at once.</summary>
public sealed class TokenBucket(double rate)
{
    private double _tokens = rate / 10;
    private double _at;

    public double Rate { get; } = rate;

    /// <summary>The entities that may be written at <paramref name="now"/> (seconds).</summary>
    public double Available(double now)
    {
        _tokens = Math.Min(Rate / 10, _tokens + (now - _at) * Rate);
        _at = now;
        return _tokens;
    }

    public void Take(double entities) => _tokens -= entities;
}
