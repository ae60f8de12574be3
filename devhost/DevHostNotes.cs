namespace FestivalReservations.DevHost;

/// <summary>Lines collected while wiring functions up (queues not polled, timers off) for the start-up banner.</summary>
public sealed class DevHostNotes
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string line) => _lines.Add(line);
}
