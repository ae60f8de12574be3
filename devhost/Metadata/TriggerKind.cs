namespace FestivalReservations.DevHost.Metadata;

/// <summary>The trigger types devhost knows how to run.</summary>
public enum TriggerKind
{
    Unsupported,
    Http,
    Queue,
    Timer,
}
