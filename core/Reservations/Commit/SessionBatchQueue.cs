namespace FestivalReservations.Core.Reservations.Commit;

/// <summary>
/// The drafts waiting for one session in this app instance. The first draft to arrive while no
/// batch is in flight makes its caller the leader, which drains the queue one transaction at a
/// time; drafts arriving meanwhile wait for the next batch. A drained queue retires itself, so the
/// committer can drop it and a later draft starts a fresh one (no queue lives on for idle sessions).
/// The lock guards a few list operations only; nobody waits on storage while holding it.
/// </summary>
public sealed class SessionBatchQueue(string sessionId, CodeReserve codes)
{
    private readonly object _gate = new();
    private readonly List<PendingDraft> _waiting = [];
    private bool _draining;
    private bool _retired;

    public string SessionId { get; } = sessionId;

    /// <summary>Codes claimed ahead for this queue's rounds (only the draining leader touches it).</summary>
    public CodeReserve Codes { get; } = codes;

    /// <summary>Drafts waiting for a round.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// The counter as this instance last wrote it, with its new ETag: the next batch starts from it
    /// instead of reading. If anyone else wrote since, the ETag no longer matches and storage says 412.
    /// Only the draining leader touches it.
    /// </summary>
    public Storage.SessionSnapshot? LastWritten { get; set; }

    /// <summary>
    /// The allotments of <see cref="LastWritten"/> that this instance wrote itself (their ETags are
    /// its own write's); the others are as of an older read. Only the draining leader touches it.
    /// </summary>
    public IReadOnlySet<int> FreshAllotments { get; set; } = new HashSet<int>();

    /// <summary>
    /// The allotment this instance's rounds start from: drawn at random, so that instances booking
    /// the same session at once mostly write different allotment rows.
    /// </summary>
    public int PreferredAllotment { get; private set; } = Random.Shared.Next(Reservations.Rules.AllotmentRule.MaxAllotments);

    // Seats taken from each allotment as this instance last saw it: an allotment whose count moved
    // since, without this instance writing it, is being booked by another instance right now.
    private readonly Dictionary<int, int> _takenSeen = [];
    private HashSet<int> _busy = [];
    private bool _moving;

    /// <summary>
    /// The allotments a round tries, in order: the preferred one, then those nobody else was seen
    /// taking from, then the busy ones, each group shuffled (so that a round whose allotment runs
    /// dry does not follow the instance that emptied the next one).
    /// </summary>
    public IReadOnlyList<int> AllotmentOrder()
    {
        var others = _takenSeen.Keys.Where(i => i != PreferredAllotment).ToArray();
        Random.Shared.Shuffle(others);
        return [PreferredAllotment, .. others.Where(i => !_busy.Contains(i)), .. others.Where(_busy.Contains)];
    }

    /// <summary>After a conflict on an allotment another instance wrote too: leave it once the next read shows where seats are.</summary>
    public void MoveToAnotherAllotment() => _moving = true;

    /// <summary>
    /// After a read: stay on the allotment this queue starts from while it has seats, no conflict
    /// drove us off it and nobody else is taking from it (or every other one with seats is taken from
    /// too); else jump to one picked at random among those with seats that nobody else took from
    /// since our last look (walking on to the next one would follow the instance that emptied it,
    /// and meet it there), or among all with seats when every one is busy.
    /// </summary>
    /// <returns>
    /// Whether the allotment chosen is busy: another instance took from it since our last look, so
    /// a round written now would likely meet its 412 (at the end of a sell-out, when the last seats
    /// sit in fewer allotments than there are instances booking).
    /// </returns>
    public bool ChooseAllotment(Storage.SessionSnapshot read)
    {
        var usable = read.Allotments.Select(a => a.Allotment).Where(a => a.Epoch == read.State.Epoch).ToList();
        var busy = usable.Where(a => _takenSeen.TryGetValue(a.Index, out var seen) && seen != a.Taken).Select(a => a.Index).ToHashSet();
        _busy = busy;
        Remember(usable);
        var leaving = _moving;
        _moving = false;
        var withSeats = usable.Where(a => a.Free > 0 && !(leaving && a.Index == PreferredAllotment)).ToList();
        var idle = withSeats.Where(a => !busy.Contains(a.Index)).ToList();
        var stay = !leaving && usable.Any(a => a.Index == PreferredAllotment && a.Free > 0)
            && (!busy.Contains(PreferredAllotment) || idle.Count == 0);
        if (!stay)
        {
            var from = idle.Count > 0 ? idle : withSeats;
            if (from.Count > 0)
            {
                PreferredAllotment = from[Random.Shared.Next(from.Count)].Index;
            }
        }

        return busy.Contains(PreferredAllotment);
    }

    /// <summary>
    /// After a round this instance wrote: its own writes are no sign of anyone else; when the
    /// allotment it starts from has run dry, it picks another as after a read.
    /// </summary>
    public void StayOnAnAllotmentWithSeats(Storage.SessionSnapshot written, IReadOnlySet<int> wrote)
    {
        Remember(written.Allotments.Select(a => a.Allotment).Where(a => wrote.Contains(a.Index)));
        if (!written.Allotments.Any(a => a.Allotment.Index == PreferredAllotment && a.Allotment.Free > 0))
        {
            var withSeats = written.Allotments.Select(a => a.Allotment).Where(a => a.Free > 0 && a.Epoch == written.State.Epoch).ToList();
            if (withSeats.Count > 0)
            {
                PreferredAllotment = withSeats[Random.Shared.Next(withSeats.Count)].Index;
            }
        }
    }

    private void Remember(IEnumerable<Reservations.Allotment> allotments)
    {
        foreach (var a in allotments)
        {
            _takenSeen[a.Index] = a.Taken;
        }
    }

    /// <summary>Adds a draft; false when this queue has retired (take a new one). <paramref name="leader"/>: start draining.</summary>
    public bool TryEnqueue(PendingDraft draft, out bool leader)
    {
        lock (_gate)
        {
            leader = false;
            if (_retired)
            {
                return false;
            }

            _waiting.Add(draft);
            if (!_draining)
            {
                _draining = true;
                leader = true;
            }

            return true;
        }
    }

    /// <summary>The next drafts in arrival order (at most <paramref name="max"/>); empty means drained and retired.</summary>
    public IReadOnlyList<PendingDraft> TakeBatch(int max)
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _draining = false;
                _retired = true;
                return [];
            }

            var count = Math.Min(max, _waiting.Count);
            var batch = _waiting.GetRange(0, count);
            _waiting.RemoveRange(0, count);
            return batch;
        }
    }

    /// <summary>Puts drafts that did not fit in a transaction back at the front, in their order.</summary>
    public void ReturnToFront(IReadOnlyList<PendingDraft> drafts)
    {
        if (drafts.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _waiting.InsertRange(0, drafts);
        }
    }
}
