using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Lotteries;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Reservations.Rules;

namespace FestivalReservations.Core.Sessions;

/// <summary>Who cancels: visitors only until the session starts, staff at any time and with a reason.</summary>
public enum CancelledBy
{
    Visitor,
    Staff,
}

/// <summary>
/// One session: its counter and the rows loaded for this change. The one owner of the session's
/// invariants: every change (reserve, cancel, check in, capacity, close, promote, no-shows, erasure)
/// goes through a method here that calls the rules, keeps the counter's figures in step with the
/// rows, and records what changed as <see cref="SessionStep"/>s. It does no I/O: the store loads it
/// and writes its steps (<see cref="Storage.SessionStore"/>).
/// </summary>
public sealed class Session
{
    private readonly Dictionary<string, Reservation> _reservations = new(StringComparer.Ordinal);
    private readonly List<WaitlistTicket>? _line;
    private readonly HashSet<string> _phoneMarkers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _markerOwners = new(StringComparer.Ordinal);
    private readonly List<SessionStep> _steps = [];
    private readonly SortedDictionary<int, Allotment>? _allotments;
    private IReadOnlyList<int> _allotmentOrder = [];

    /// <param name="state">The counter as read.</param>
    /// <param name="reservations">The reservations loaded for this change (by code).</param>
    /// <param name="waitlist">The whole line in order, when this change may promote; null when not loaded.</param>
    /// <param name="phoneMarkers">Phone hashes known to hold a marker in the session.</param>
    /// <param name="allotments">The session's allotment rows, when this change may use or fold them; null when not loaded.</param>
    /// <param name="markerOwners">By code, the phone hash of the marker that names (or is the row of) that code's reservation, as loaded.</param>
    public Session(SessionState state, IEnumerable<Reservation>? reservations = null, IEnumerable<WaitlistTicket>? waitlist = null,
        IEnumerable<string>? phoneMarkers = null, IEnumerable<Allotment>? allotments = null,
        IReadOnlyDictionary<string, string>? markerOwners = null)
    {
        foreach (var (code, hash) in markerOwners ?? new Dictionary<string, string>())
        {
            _markerOwners[code] = hash;
        }

        if (allotments is not null)
        {
            _allotments = new SortedDictionary<int, Allotment>(allotments.ToDictionary(a => a.Index));
        }

        Loaded = State = state;
        foreach (var reservation in reservations ?? [])
        {
            _reservations[reservation.Code] = reservation;
        }

        _line = waitlist?.OrderBy(t => t.Seq).ToList();
        _phoneMarkers.UnionWith(phoneMarkers ?? []);
    }

    public string SessionId => State.SessionId;

    /// <summary>The counter as loaded.</summary>
    public SessionState Loaded { get; }

    /// <summary>The counter after every change so far.</summary>
    public SessionState State { get; private set; }

    public IReadOnlyList<SessionStep> Steps => _steps;

    public bool HasChanges => _steps.Count > 0;

    public IReadOnlyCollection<Reservation> Reservations => _reservations.Values;

    /// <summary>The waitlist in line order (empty when nobody waits or it was not loaded).</summary>
    public IReadOnlyList<WaitlistTicket> Waitlist => _line ?? [];

    public Reservation? Find(string code) => _reservations.GetValueOrDefault(code);

    /// <summary>The allotments as they stand after every change so far (empty when none or not loaded).</summary>
    public IReadOnlyCollection<Allotment> Allotments => _allotments?.Values ?? (IReadOnlyCollection<Allotment>)[];

    /// <summary>
    /// Where <see cref="Reserve"/> starts looking for an allotment with room: app instances start at
    /// different ones, so that they write different rows.
    /// </summary>
    public void PreferAllotment(int index) => _allotmentOrder = [index];

    /// <summary>The allotments <see cref="Reserve"/> tries first, in this order; then the others from the first one on.</summary>
    public void PreferAllotments(IReadOnlyList<int> order) => _allotmentOrder = order;

    /// <summary>
    /// Moves the counter's free seats into <paramref name="count"/> allotments (creating the rows the
    /// session does not have yet), so that bookings can be written without the counter. Only while
    /// nobody waits and booking is open; all allotments must be loaded. Returns the seats moved.
    /// </summary>
    public int DistributeToAllotments(int count, DateTimeOffset now)
    {
        RequireAllotments();
        var free = State.Remaining;
        count = Math.Max(count, State.Allotments);
        if (count <= 0 || free < count || State.WaitlistParties > 0 || BookingWindowRule.Check(State, now) is not null)
        {
            return 0;
        }

        var changes = new List<AllotmentChange>(count);
        for (var i = 0; i < count; i++)
        {
            var share = free / count + (i < free % count ? 1 : 0);
            var before = _allotments!.GetValueOrDefault(i);
            var after = new Allotment(i, (before?.Free ?? 0) + share, before?.Taken ?? 0, State.Epoch);
            changes.Add(new AllotmentChange(before, after));
        }

        Record(State with { Escrow = State.Escrow + free, Allotments = count }, [], changes);
        return free;
    }

    /// <summary>
    /// Folds allotments back into the counter (their taken seats into Reserved, their free seats back
    /// to the counter's own) and starts a new epoch, so that no booking is admitted through an
    /// allotment under rules that have just changed. <paramref name="all"/>: every allotment; else
    /// only those holding free seats. Returns how many were folded.
    /// </summary>
    public int FoldAllotments(bool all)
    {
        if (State.Allotments == 0)
        {
            return 0;
        }

        RequireAllotments();
        var folding = _allotments!.Values.Where(a => all ? a.Held > 0 : a.Free > 0).ToList();
        if (folding.Count == 0)
        {
            return 0;
        }

        var epoch = State.Epoch + 1;
        var next = State with
        {
            Reserved = State.Reserved + folding.Sum(a => a.Taken),
            Escrow = State.Escrow - folding.Sum(a => a.Held),
            Epoch = epoch,
        };
        Record(next, [], folding.Select(a => new AllotmentChange(a, new Allotment(a.Index, 0, 0, epoch))).ToList());
        return folding.Count;
    }

    /// <summary>The place in line of a waitlisted reservation (1 is next); null when it is not waiting.</summary>
    public int? WaitlistPosition(Reservation reservation) =>
        reservation.Status == ReservationStatus.Waitlisted && reservation.WaitlistSeq is { } seq && _line is not null
            ? _line.Count(t => t.Seq < seq) + 1
            : null;

    /// <summary>
    /// Admits a draft or refuses it (window, seats, waitlist, one phone one reservation). Admitted, it
    /// takes <paramref name="code"/>: the reservation, its phone marker, its waitlist ticket when it
    /// waits, and the SMS it owes.
    /// </summary>
    public Result<CommittedReservation> Reserve(ReservationDraft draft, ReservationCode code, DateTimeOffset now)
    {
        if (_phoneMarkers.Contains(draft.PhoneHash))
        {
            return OnePhoneRule.Duplicate();
        }

        if (State.Lottery is { IsDrawn: false } lottery)
        {
            return Enter(draft, code, lottery, now);
        }

        if (BookingWindowRule.Check(State, now) is { } closed)
        {
            return closed;
        }

        var party = draft.Reservation.PartySize;
        var events = new List<SessionEvent>(4);
        SessionState next;
        Reservation reservation;
        int? position = null;
        WaitlistTicket? ticket = null;
        List<AllotmentChange>? allotted = null;
        if (AllotmentWithRoom(party) is { } allotment)
        {
            // Seats from an allotment: the counter is not written at all.
            next = State;
            allotted = [new AllotmentChange(allotment, allotment with { Free = allotment.Free - party, Taken = allotment.Taken + party })];
            reservation = draft.Reservation with { Code = code.Value, Status = ReservationStatus.Confirmed, WaitlistSeq = null };
            return Admit(reservation, draft.PhoneHash, next, events, allotted, position: null, ticket: null, now);
        }

        var admission = SeatRule.Admit(State, party, draft.JoinWaitlist, draft.SkipAhead);
        if ((!admission.IsSuccess || admission.Value == Admission.Waitlisted) && FoldAllotments(all: false) > 0)
        {
            // Seats wait in allotments: fold them back so that the party is decided on every free
            // seat, and so that a waitlist never forms while seats sit in an allotment.
            admission = SeatRule.Admit(State, party, draft.JoinWaitlist, draft.SkipAhead);
        }

        if (!admission.IsSuccess)
        {
            return admission.Error;
        }

        if (admission.Value == Admission.Confirmed)
        {
            next = State with { Reserved = State.Reserved + party };
            reservation = draft.Reservation with { Code = code.Value, Status = ReservationStatus.Confirmed, WaitlistSeq = null };
        }
        else
        {
            var seq = State.NextWaitlistSeq;
            next = State with
            {
                Waitlisted = State.Waitlisted + party,
                WaitlistParties = State.WaitlistParties + 1,
                NextWaitlistSeq = seq + 1,
            };
            reservation = draft.Reservation with { Code = code.Value, Status = ReservationStatus.Waitlisted, WaitlistSeq = seq };
            position = State.WaitlistParties + 1;
            ticket = new WaitlistTicket(seq, reservation.Code, party);
        }

        return Admit(reservation, draft.PhoneHash, next, events, allotted, position, ticket, now);
    }

    /// <summary>
    /// A lottery entry: no seat yet, one per phone (the phone's row, as for a reservation), counted on
    /// the counter; the draw decides it. Only in the entry window.
    /// </summary>
    private Result<CommittedReservation> Enter(ReservationDraft draft, ReservationCode code, LotteryState lottery, DateTimeOffset now)
    {
        if (LotteryRules.EntryWindow(State, lottery, now) is { } outside)
        {
            return outside;
        }

        var entry = draft.Reservation with { Code = code.Value, Status = ReservationStatus.Entered, WaitlistSeq = null };
        var next = State with { Lottery = lottery with { Entries = lottery.Entries + 1 } };
        return Admit(entry, draft.PhoneHash, next, new List<SessionEvent>(3), allotted: null, position: null, ticket: null, now);
    }

    private CommittedReservation Admit(Reservation reservation, string phoneHash, SessionState next, List<SessionEvent> events,
        List<AllotmentChange>? allotted, int? position, WaitlistTicket? ticket, DateTimeOffset now)
    {
        var kind = reservation.Status switch
        {
            ReservationStatus.Confirmed => SmsKind.Confirmed,
            ReservationStatus.Entered => SmsKind.Entered,
            _ => SmsKind.Waitlisted,
        };
        var message = OutboxMessage.For(SessionId, reservation.Code, kind, now, position);
        events.Add(new ReservationAdded(reservation));
        events.Add(new PhoneMarkerAdded(phoneHash, reservation.Code));
        if (ticket is not null)
        {
            events.Add(new WaitlistTicketAdded(ticket));
            _line?.Add(ticket);
        }

        events.Add(new SmsOwed(message));
        _reservations[reservation.Code] = reservation;
        _phoneMarkers.Add(phoneHash);
        Record(next, events, allotted);
        return new CommittedReservation(reservation, message, position);
    }

    /// <summary>
    /// The first allotment, from the preferred one on, that can seat the whole party under the
    /// counter's rules as loaded: same epoch (nothing changed the rules since), nobody waiting.
    /// </summary>
    private Allotment? AllotmentWithRoom(int party)
    {
        if (_allotments is not { Count: > 0 } allotments || State.WaitlistParties > 0)
        {
            return null;
        }

        var count = allotments.Count;
        var first = _allotmentOrder.Count > 0 ? _allotmentOrder[0] : 0;
        foreach (var index in _allotmentOrder.Concat(Enumerable.Range(0, count).Select(i => (first + i) % count)))
        {
            if (allotments.TryGetValue(index % count, out var allotment) && allotment.Epoch == State.Epoch && allotment.Free >= party)
            {
                return allotment;
            }
        }

        return null;
    }

    private void RequireAllotments()
    {
        if (_allotments is null && State.Allotments > 0)
        {
            throw new InvalidOperationException($"The allotments of {SessionId} were not loaded for a change that may move their seats.");
        }
    }

    /// <summary>
    /// Takes back the last <see cref="Reserve"/> (a group commit whose transaction cannot hold it
    /// leaves the draft for the next one). Nothing else can be taken back.
    /// </summary>
    public void TakeBackLastReservation()
    {
        if (_steps.Count == 0 || _steps[^1].Events is not [ReservationAdded added, PhoneMarkerAdded marker, ..])
        {
            throw new InvalidOperationException("The last change of this session is not a reservation.");
        }

        var step = _steps[^1];
        _steps.RemoveAt(_steps.Count - 1);
        State = step.Before;
        foreach (var change in step.Allotments)
        {
            if (change.Before is { } before)
            {
                _allotments![before.Index] = before;
            }
            else
            {
                _allotments!.Remove(change.After.Index);
            }
        }

        _reservations.Remove(added.Reservation.Code);
        _phoneMarkers.Remove(marker.PhoneHash);
        _line?.RemoveAll(t => t.Code == added.Reservation.Code);
    }

    /// <summary>
    /// Cancels an active reservation (visitors until the session starts) and gives the seats it frees
    /// to the waitlist in the same change. <paramref name="hashPhone"/> names the phone's marker.
    /// </summary>
    public Result<Reservation> Cancel(string code, CancelledBy by, string? reason, bool skipAhead, Func<string, string> hashPhone,
        DateTimeOffset now)
    {
        if (Find(code) is not { } reservation)
        {
            return DomainError.NotFound("reservation");
        }

        if (CancellationRule.CheckStatus(reservation) is { } statusProblem)
        {
            return statusProblem;
        }

        if (by == CancelledBy.Visitor && CancellationRule.CheckVisitorDeadline(State, now) is { } late)
        {
            return late;
        }

        var entry = reservation.Status == ReservationStatus.Entered;
        if (entry && LotteryRules.EntryCancellation(State.Lottery, now) is { } drawing)
        {
            return drawing;
        }

        var cancelled = reservation with { Status = ReservationStatus.Cancelled, CancelledAt = now, CancelReason = reason };
        var events = new List<SessionEvent> { new ReservationUpdated(cancelled) };
        if (reservation.Phone.Length > 0)
        {
            var phoneHash = hashPhone(reservation.Phone);
            events.Add(new PhoneMarkerRemoved(phoneHash));
            _phoneMarkers.Remove(phoneHash);
        }

        var next = State;
        if (entry && State.Lottery is { } lottery)
        {
            // An entry holds no seat: it only leaves the draw.
            next = next with { Lottery = lottery with { Entries = lottery.Entries - 1 } };
        }
        else if (reservation.Status == ReservationStatus.Waitlisted && reservation.WaitlistSeq is { } seq)
        {
            next = next with { Waitlisted = next.Waitlisted - reservation.PartySize, WaitlistParties = next.WaitlistParties - 1 };
            events.Add(new WaitlistTicketRemoved(seq));
            _line?.RemoveAll(t => t.Seq == seq);
        }
        else
        {
            next = next with { Reserved = next.Reserved - reservation.PartySize };
        }

        events.Add(new SmsOwed(OutboxMessage.For(SessionId, code, SmsKind.Cancelled, now)));
        _reservations[code] = cancelled;
        Record(next, events);
        PromoteWaitlist(skipAhead, now);
        return cancelled;
    }

    /// <summary>Checks a confirmed reservation in: its status and time, and the session's checked-in count raised by the party.</summary>
    public Result<Reservation> CheckIn(string code, DateTimeOffset now, string? device = null)
    {
        if (Find(code) is not { } reservation)
        {
            return DomainError.NotFound("reservation");
        }

        if (CheckInRule.Check(reservation) is { } refused)
        {
            return refused;
        }

        var checkedIn = reservation with { Status = ReservationStatus.CheckedIn, CheckedInAt = now, CheckInDevice = device };
        _reservations[code] = checkedIn;
        Record(State with { CheckedIn = State.CheckedIn + reservation.PartySize }, [new ReservationUpdated(checkedIn)]);
        return checkedIn;
    }

    /// <summary>Turns the reminder SMS of an active reservation on or off (the visitor's opt-out from the ticket page).</summary>
    public Result<Reservation> SetReminders(string code, bool enabled)
    {
        if (Find(code) is not { } reservation)
        {
            return DomainError.NotFound("reservation");
        }

        if (!reservation.IsActive)
        {
            return new DomainError(ErrorCode.AlreadyCancelled, "This reservation is no longer active.");
        }

        if (reservation.RemindersOff == !enabled)
        {
            return reservation;
        }

        var changed = reservation with { RemindersOff = !enabled };
        _reservations[code] = changed;
        Record(State, [new ReservationUpdated(changed)]);
        return changed;
    }

    /// <summary>Sets the capacity, never below the seats taken. Seats it adds go to the waitlist only when <see cref="PromoteWaitlist"/> is asked.</summary>
    /// <remarks>Allotments are folded back first, so the check sees every seat taken and none is admitted under the old capacity.</remarks>
    public DomainError? SetCapacity(int capacity)
    {
        if (capacity == State.Capacity)
        {
            return null;
        }

        FoldAllotments(all: true);
        if (CapacityRule.Check(State, capacity) is { } below)
        {
            return below;
        }

        Record(State with { Capacity = capacity }, []);
        return null;
    }

    /// <summary>Closes booking (staff) or opens it again; allotments are folded back so that none admits under the old rule.</summary>
    public void SetClosed(bool closed)
    {
        if (closed == State.Closed)
        {
            return;
        }

        FoldAllotments(all: true);
        Record(State with { Closed = closed }, []);
    }

    /// <summary>Takes a new end and booking opening time from the catalog (allotments folded back, as for any change of the rules).</summary>
    public void Reschedule(DateTimeOffset end, DateTimeOffset bookingOpensAt)
    {
        if (end == State.End && bookingOpensAt == State.BookingOpensAt)
        {
            return;
        }

        FoldAllotments(all: true);
        Record(State with { End = end, BookingOpensAt = bookingOpensAt }, []);
    }

    /// <summary>
    /// Gives free seats to waitlisted parties in line order (strict or skip-ahead), while booking is
    /// open; each promotion is its own step (its reservation, its ticket gone, its SMS). Returns how
    /// many parties it promoted.
    /// </summary>
    public int PromoteWaitlist(bool skipAhead, DateTimeOffset now)
    {
        if (State.WaitlistParties == 0 || State.Remaining == 0 || BookingWindowRule.Check(State, now) is not null)
        {
            return 0;
        }

        if (_line is null)
        {
            throw new InvalidOperationException($"The waitlist of {SessionId} was not loaded for a change that may promote.");
        }

        var promoted = WaitlistPromotionRule.Select(_line, State.Remaining, skipAhead);
        foreach (var ticket in promoted)
        {
            _line.Remove(ticket);
            if (Find(ticket.Code) is { } waiting)
            {
                _reservations[ticket.Code] = waiting with { Status = ReservationStatus.Confirmed, PromotedAt = now };
            }

            Record(State with
            {
                Reserved = State.Reserved + ticket.PartySize,
                Waitlisted = State.Waitlisted - ticket.PartySize,
                WaitlistParties = State.WaitlistParties - 1,
            }, [
                new ReservationPromoted(ticket.Code, now),
                new WaitlistTicketRemoved(ticket.Seq),
                new SmsOwed(OutboxMessage.For(SessionId, ticket.Code, SmsKind.Promoted, now)),
            ]);
        }

        return promoted.Count;
    }

    /// <summary>
    /// The lottery's draw, from where its cursor stands to the end: the entries still waiting, in
    /// draw order (<see cref="LotterySeed.Order"/>, a pure function of the seed and the codes), each
    /// answered by <see cref="DrawRule"/> in its own step (its row, its waitlist ticket or its phone's
    /// row given back, its SMS) with the cursor moved past it; a last step marks the lottery drawn,
    /// which opens what seats are left first come. Entries answered by an earlier, interrupted run
    /// are no longer waiting and its counter holds their seats, so a resumed draw ends as an
    /// uninterrupted one would. Every reservation must be loaded. Returns the entries it answered.
    /// </summary>
    public int Draw(Func<string, string> hashPhone, DateTimeOffset now)
    {
        if (State.Lottery is not { IsDrawn: false })
        {
            return 0;
        }

        FoldAllotments(all: true);
        var waiting = _reservations.Values.Where(r => r.Status == ReservationStatus.Entered);
        var answered = 0;
        foreach (var entry in LotterySeed.Order(State.Lottery.Seed, waiting, r => ReservationCode.Display(r.Code)))
        {
            var lottery = State.Lottery!;
            var rank = lottery.Drawn + 1;
            var party = entry.PartySize;
            var events = new List<SessionEvent>(3);
            SessionState next;
            Reservation drawn;
            string kind;
            int? position = null;
            switch (DrawRule.Decide(State, party))
            {
                case DrawOutcome.Won:
                    drawn = entry with { Status = ReservationStatus.Confirmed, DrawRank = rank };
                    next = State with { Reserved = State.Reserved + party, Lottery = lottery with { Drawn = rank, Won = lottery.Won + 1 } };
                    events.Add(new ReservationUpdated(drawn));
                    kind = SmsKind.Won;
                    break;
                case DrawOutcome.Waitlisted:
                    var seq = State.NextWaitlistSeq;
                    drawn = entry with { Status = ReservationStatus.Waitlisted, WaitlistSeq = seq, DrawRank = rank };
                    next = State with
                    {
                        Waitlisted = State.Waitlisted + party,
                        WaitlistParties = State.WaitlistParties + 1,
                        NextWaitlistSeq = seq + 1,
                        Lottery = lottery with { Drawn = rank, WaitlistedByDraw = lottery.WaitlistedByDraw + 1 },
                    };
                    var ticket = new WaitlistTicket(seq, entry.Code, party);
                    position = State.WaitlistParties + 1;
                    _line?.Add(ticket);
                    events.Add(new ReservationUpdated(drawn));
                    events.Add(new WaitlistTicketAdded(ticket));
                    kind = SmsKind.Waitlisted;
                    break;
                default:
                    // Not selected: the phone's row is given back (the row moves under its code), so the
                    // phone may book what is left first come.
                    drawn = entry with { Status = ReservationStatus.NotSelected, DrawRank = rank };
                    next = State with { Lottery = lottery with { Drawn = rank } };
                    events.Add(new ReservationUpdated(drawn));
                    if (entry.Phone.Length > 0)
                    {
                        var phoneHash = hashPhone(entry.Phone);
                        events.Add(new PhoneMarkerRemoved(phoneHash));
                        _phoneMarkers.Remove(phoneHash);
                    }

                    kind = SmsKind.NotSelected;
                    break;
            }

            events.Add(new SmsOwed(OutboxMessage.For(SessionId, entry.Code, kind, now, position)));
            _reservations[entry.Code] = drawn;
            Record(next, events);
            answered++;
        }

        Record(State with { Lottery = State.Lottery! with { DrawnAt = now } }, []);
        return answered;
    }

    /// <summary>
    /// Takes the catalog's lottery window (null: first come): refused once entries have opened, or
    /// for a first-come session that already holds places (<see cref="LotteryRules.ChangeProblem"/>).
    /// A session that becomes a lottery gets its seed now, so that its hash is fixed before any entry.
    /// </summary>
    public DomainError? SetLottery(LotteryWindow? window, DateTimeOffset now)
    {
        if (State.Lottery?.Window == window)
        {
            return null;
        }

        FoldAllotments(all: true);
        if (LotteryRules.ChangeProblem(State, window, now) is { } problem)
        {
            return DomainError.Validation("programs", problem);
        }

        var lottery = window is null ? null
            : State.Lottery is { } current ? current with { Window = window }
            : new LotteryState { Window = window, Seed = LotterySeed.New() };
        Record(State with { Lottery = lottery, Epoch = State.Epoch + 1 }, []);
        return null;
    }

    /// <summary>
    /// After the session has ended, its confirmed reservations that nobody checked in become no-shows:
    /// their seats leave Reserved and are counted in NoShows. Returns how many it marked.
    /// </summary>
    public int MarkNoShows(DateTimeOffset now)
    {
        if (now < State.End)
        {
            return 0;
        }

        var marked = 0;
        foreach (var reservation in _reservations.Values.Where(r => r.Status == ReservationStatus.Confirmed).OrderBy(r => r.Code, StringComparer.Ordinal).ToList())
        {
            var noShow = reservation with { Status = ReservationStatus.NoShow };
            _reservations[reservation.Code] = noShow;
            Record(State with { Reserved = State.Reserved - reservation.PartySize, NoShows = State.NoShows + reservation.PartySize },
                [new ReservationUpdated(noShow)]);
            marked++;
        }

        return marked;
    }

    /// <summary>
    /// Erases the personal data of the loaded reservations (retention): names, phones and staff cancel
    /// reasons (free text, often a name or a number), and every phone marker, so that no row of the
    /// session is keyed by a phone's hash any more (a reservation held in its phone's row moves under
    /// its code, and a waitlist ticket naming that row is pointed at the new one, when the line is
    /// loaded). Counts, statuses and times stay, so reports still add up. Safe to repeat.
    /// </summary>
    public PartitionErasure ErasePersonalData(DateTimeOffset now, Func<string, string> hashPhone)
    {
        var erased = 0;
        var markers = 0;
        var tickets = 0;
        var line = (_line ?? []).ToLookup(t => t.Code, StringComparer.Ordinal);
        foreach (var reservation in _reservations.Values.Where(HoldsPersonalData).OrderBy(r => r.Code, StringComparer.Ordinal).ToList())
        {
            var blank = reservation with { Name = "", Phone = "", CancelReason = null, ErasedAt = reservation.ErasedAt ?? now };
            _reservations[reservation.Code] = blank;
            var events = new List<SessionEvent> { new ReservationUpdated(blank) };

            // The phone's marker goes in the same step: it may be the row that holds the reservation.
            // Found by the phone's hash, or else by the code the loaded marker names (a marker keyed
            // under another hash key, since rotated, must not be deleted with the reservation in it).
            var marker = reservation.Phone.Length > 0 && _phoneMarkers.Contains(hashPhone(reservation.Phone))
                ? hashPhone(reservation.Phone)
                : _markerOwners.GetValueOrDefault(reservation.Code);
            if (marker is not null && _phoneMarkers.Remove(marker))
            {
                events.Add(new PhoneMarkerRemoved(marker));
                markers++;
                foreach (var ticket in line[reservation.Code])
                {
                    events.Add(new WaitlistTicketMoved(ticket));
                    tickets++;
                }
            }

            Record(State, events);
            erased++;
        }

        foreach (var phoneHash in _phoneMarkers.Order(StringComparer.Ordinal).ToList())
        {
            Record(State, [new PhoneMarkerRemoved(phoneHash)]);
            markers++;
        }

        _phoneMarkers.Clear();
        return new PartitionErasure(erased, markers, tickets);
    }

    private static bool HoldsPersonalData(Reservation r) => r.Name.Length > 0 || r.Phone.Length > 0 || r.CancelReason is not null;

    private void Record(SessionState next, IReadOnlyList<SessionEvent> events, IReadOnlyList<AllotmentChange>? allotments = null)
    {
        allotments ??= [];
        if (events.Count == 0 && next == State && allotments.Count == 0)
        {
            return;
        }

        foreach (var change in allotments)
        {
            _allotments![change.After.Index] = change.After;
        }

        _steps.Add(new SessionStep(State, next, events) { Allotments = allotments });
        State = next;
    }
}
