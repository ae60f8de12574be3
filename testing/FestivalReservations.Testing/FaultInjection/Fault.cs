using System.Globalization;

namespace FestivalReservations.Testing.FaultInjection;

/// <summary>What the proxy does to one request instead of relaying it faithfully.</summary>
public abstract record Fault
{
    /// <summary>Forward the request, read the real answer, then reset the client connection without sending it: the write committed, the reply is lost.</summary>
    public static Fault DropReply { get; } = new DropReplyFault();

    /// <summary>Reset the client connection without forwarding: nothing happened.</summary>
    public static Fault ResetBeforeForward { get; } = new ResetBeforeForwardFault();

    /// <summary>Answer 500 InternalError without forwarding.</summary>
    public static Fault Status500 { get; } = new StatusFault(500);

    /// <summary>Answer 503 ServerBusy without forwarding.</summary>
    public static Fault Status503 { get; } = new StatusFault(503);

    /// <summary>Forward the request at once and hold its answer for <paramref name="duration"/> (past the client's network timeout, the write commits unseen).</summary>
    public static Fault Delay(TimeSpan duration) => new DelayFault(duration);

    /// <summary>Answer <paramref name="statusCode"/> (4xx or 5xx) with the service's error body, without forwarding.</summary>
    public static Fault Status(int statusCode) => new StatusFault(statusCode);

    /// <summary>From this request on, for <paramref name="duration"/>, forward and answer nothing on any connection (see <see cref="FaultProxy.BlackHole"/>).</summary>
    public static Fault BlackHole(TimeSpan duration) => new BlackHoleFault(duration);

    protected static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}

public sealed record DropReplyFault : Fault
{
    public override string ToString() => "DropReply";
}

public sealed record ResetBeforeForwardFault : Fault
{
    public override string ToString() => "ResetBeforeForward";
}

public sealed record DelayFault : Fault
{
    public DelayFault(TimeSpan duration) =>
        Duration = duration > TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration), duration, "A delay is longer than zero.");

    public TimeSpan Duration { get; }

    public override string ToString() => $"Delay({Seconds(Duration)})";
}

public sealed record StatusFault : Fault
{
    public StatusFault(int statusCode) =>
        StatusCode = statusCode is >= 400 and <= 599 ? statusCode : throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An error status is 4xx or 5xx.");

    public int StatusCode { get; }

    public override string ToString() => $"Status({StatusCode})";
}

public sealed record BlackHoleFault : Fault
{
    public BlackHoleFault(TimeSpan duration) =>
        Duration = duration > TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration), duration, "A black hole lasts longer than zero.");

    public TimeSpan Duration { get; }

    public override string ToString() => $"BlackHole({Seconds(Duration)})";
}
