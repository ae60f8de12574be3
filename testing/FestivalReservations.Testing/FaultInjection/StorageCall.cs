namespace FestivalReservations.Testing.FaultInjection;

/// <summary>A request the proxy is about to relay, classified: what a <see cref="FaultRule"/> decides on.</summary>
public sealed record StorageCall(CallKind Kind, StorageRequest Request)
{
    public string Method => Request.Method;

    public string Path => Request.Path;

    /// <summary>The table it works on; null for a queue or service call.</summary>
    public string? Table => CallClassifier.Table(Request);

    public static StorageCall Of(StorageRequest request) => new(CallClassifier.Classify(request), request);
}

/// <summary>One fault the proxy injected, for the test to print and assert on.</summary>
public sealed record InjectedFault(DateTimeOffset Time, CallKind Kind, Fault Fault, string Method, string Path)
{
    public override string ToString() => $"{Time:HH:mm:ss.fff} {Kind} {Fault} {Method} {Path}";
}
