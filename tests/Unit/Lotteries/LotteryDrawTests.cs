using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Lotteries;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using SessionsData = FestivalReservations.Tests.Unit.Support.Sessions;

namespace FestivalReservations.Tests.Unit.Lotteries;

/// <summary>The draw engine without storage: the order a seed fixes, who fits, the waitlist bound, the seed's commitment, a resumed draw.</summary>
public sealed class LotteryDrawTests
{
    /// <summary>The bytes 00 01 … 1f: a seed whose figures below were computed outside .NET (Python's hmac and hashlib).</summary>
    private const string KnownSeed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private static readonly LotteryWindow Window = new(
        SessionsData.OpensAt, SessionsData.OpensAt.AddDays(3), SessionsData.OpensAt.AddDays(3).AddHours(2));

    private static readonly DateTimeOffset DuringEntries = SessionsData.OpensAt.AddDays(1);
    private static readonly DateTimeOffset AfterDraw = Window.DrawAt.AddMinutes(1);

    private static SessionState Lottery(int capacity, string seed = KnownSeed, int entries = 0) =>
        SessionsData.State(capacity: capacity) with { Lottery = new LotteryState { Window = Window, Seed = seed, Entries = entries } };

    private static string Hash(string phone) => "h" + phone[^8..];

    private static Reservation Entry(string code, int party, int i) => new()
    {
        Code = ReservationCode.Parse(code).Value,
        SessionId = SessionsData.Id,
        ProgramId = "mask-parade",
        Name = $"방문자 {i}",
        Phone = $"+82105000{i:D4}",
        PartySize = party,
        Language = "ko",
        Status = ReservationStatus.Entered,
        CreatedAt = DuringEntries,
    };

    private static Session Drawable(int capacity, IReadOnlyList<Reservation> entries) =>
        new(Lottery(capacity, entries: entries.Count), entries, waitlist: [], phoneMarkers: entries.Select(e => Hash(e.Phone)), allotments: []);

    [Fact]
    public void SeedHash_KnownSeed_IsSha256OfItsBytes()
    {
        Assert.Equal("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd", LotterySeed.Hash(KnownSeed));
        Assert.Equal("3e785a184ba8fea0caaa323254e8fc136114752c8def3f2713d7f5e88ea7f504", LotterySeed.CodeHash("K7M2-QX9P"));
    }

    [Fact]
    public void New_Seed_Is32RandomBytesWhoseHashIsPublishedNotTheSeed()
    {
        var a = LotterySeed.New();
        var b = LotterySeed.New();
        Assert.True(LotterySeed.IsSeed(a));
        Assert.NotEqual(a, b);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(a))), LotterySeed.Hash(a));
    }

    [Fact]
    public void Order_KnownSeed_IsAscendingHmacOfTheWrittenCode()
    {
        string[] codes = ["K7M2-QX9P", "7Q99-84S9", "ABCD-EFGH", "0000-0001", "ZZZZ-ZZZZ", "M3N4-P5Q6"];

        var order = LotterySeed.Order(KnownSeed, codes, c => c);

        // Computed with Python: sorted(codes, key=lambda c: hmac.new(seed, c.encode(), sha256).digest())
        Assert.Equal(["ABCD-EFGH", "ZZZZ-ZZZZ", "7Q99-84S9", "M3N4-P5Q6", "0000-0001", "K7M2-QX9P"], order);
        var independent = codes.OrderBy(c => HMACSHA256.HashData(Convert.FromHexString(KnownSeed), Encoding.UTF8.GetBytes(c)), ByteOrder.Instance);
        Assert.Equal(independent, order);
    }

    [Fact]
    public void Draw_PartyThatDoesNotFit_IsSkippedAndASmallerOneBehindItIsSeated()
    {
        // In draw order: a party of 4 (seated), of 3 (does not fit the 1 seat left: waitlisted), of 1 (seated).
        var codes = LotterySeed.Order(KnownSeed, ["K7M2-QX9P", "7Q99-84S9", "ABCD-EFGH"], c => c);
        int[] parties = [4, 3, 1];
        var entries = codes.Select((c, i) => Entry(c, parties[i], i)).ToList();
        var session = Drawable(capacity: 5, entries);

        Assert.Equal(3, session.Draw(Hash, AfterDraw));

        Assert.Equal([ReservationStatus.Confirmed, ReservationStatus.Waitlisted, ReservationStatus.Confirmed],
            entries.Select(e => session.Find(e.Code)!.Status));
        Assert.Equal([1, 2, 3], entries.Select(e => session.Find(e.Code)!.DrawRank!.Value));
        Assert.Equal(5, session.State.Reserved);
        Assert.Equal(3, session.State.Waitlisted);
        Assert.Equal(1, session.State.WaitlistParties);
        Assert.Equal(2, session.State.Lottery!.Won);
        Assert.Equal(1, session.State.Lottery.WaitlistedByDraw);
        Assert.True(session.State.Lottery.IsDrawn);
        Assert.Equal([SmsKind.Won, SmsKind.Waitlisted, SmsKind.Won],
            session.Steps.Take(3).Select(s => s.Events.OfType<SmsOwed>().Single().Message.Kind));
    }

    [Fact]
    public void Draw_MoreEntriesThanSeatsAndWaitlist_WaitlistIsBoundedByCapacityAndTheRestAreNotSelected()
    {
        string[] all = ["K7M2-QX9P", "7Q99-84S9", "ABCD-EFGH", "0000-0001", "ZZZZ-ZZZZ", "M3N4-P5Q6"];
        var entries = all.Select((c, i) => Entry(c, 1, i)).ToList();
        var session = Drawable(capacity: 2, entries);

        session.Draw(Hash, AfterDraw);

        var byOrder = LotterySeed.Order(KnownSeed, all, c => c).Select(c => session.Find(ReservationCode.Parse(c).Value)!).ToList();
        Assert.Equal([ReservationStatus.Confirmed, ReservationStatus.Confirmed, ReservationStatus.Waitlisted, ReservationStatus.Waitlisted,
            ReservationStatus.NotSelected, ReservationStatus.NotSelected], byOrder.Select(r => r.Status));
        Assert.Equal(2, session.State.Waitlisted);
        Assert.Equal([1L, 2L], byOrder.Skip(2).Take(2).Select(r => r.WaitlistSeq!.Value));
        // A loser's phone row is given back (it may book what is left first come): its marker goes in its step.
        var lastLoser = session.Steps[5];
        Assert.Contains(lastLoser.Events, e => e is PhoneMarkerRemoved);
        Assert.Equal(SmsKind.NotSelected, lastLoser.Events.OfType<SmsOwed>().Single().Message.Kind);
        Assert.Equal(6, session.State.Lottery!.Drawn);
    }

    [Fact]
    public void Draw_WaitlistedEntries_TheirSmsCarriesTheirPlaceInLineAndOtherKindsNone()
    {
        string[] all = ["K7M2-QX9P", "7Q99-84S9", "ABCD-EFGH", "0000-0001", "ZZZZ-ZZZZ"];
        var session = Drawable(capacity: 2, all.Select((c, i) => Entry(c, 1, i)).ToList());

        session.Draw(Hash, AfterDraw);

        var messages = session.Steps.Take(all.Length).Select(s => s.Events.OfType<SmsOwed>().Single().Message).ToList();
        Assert.Equal([SmsKind.Won, SmsKind.Won, SmsKind.Waitlisted, SmsKind.Waitlisted, SmsKind.NotSelected], messages.Select(m => m.Kind));
        Assert.Equal([null, null, 1, 2, null], messages.Select(m => m.WaitlistPosition));
        var second = session.Find(messages[3].ReservationCode)!;
        Assert.Equal(2, session.WaitlistPosition(second));
    }

    [Fact]
    public void Draw_ResumedFromTheCounterOfAnInterruptedRun_EndsAsAnUninterruptedRun()
    {
        var rng = new Random(7);
        var entries = Enumerable.Range(0, 60).Select(i => Entry(ReservationCode.New().ToString(), rng.Next(1, 5), i)).ToList();
        var whole = Drawable(capacity: 40, entries);
        whole.Draw(Hash, AfterDraw);

        // A run that wrote its first 23 steps and died: the counter of step 23, and the rows as they were written.
        var interrupted = Drawable(capacity: 40, entries);
        interrupted.Draw(Hash, AfterDraw);
        var cut = interrupted.Steps[22].After;
        var written = interrupted.Steps.Take(23).SelectMany(s => s.Events).OfType<ReservationUpdated>().ToDictionary(u => u.Reservation.Code, u => u.Reservation);
        var rows = entries.Select(e => written.GetValueOrDefault(e.Code) ?? e).ToList();
        var resumed = new Session(cut, rows, waitlist: [], allotments: []);

        Assert.Equal(60 - 23, resumed.Draw(Hash, AfterDraw));

        Assert.Equal(whole.State with { Epoch = 0 }, resumed.State with { Epoch = 0 });
        foreach (var entry in entries)
        {
            Assert.Equal(whole.Find(entry.Code), resumed.Find(entry.Code) ?? written[entry.Code]);
        }

        Assert.True(whole.State.Reserved <= 40);
    }

    [Fact]
    public void Draw_AlreadyDrawn_ChangesNothing()
    {
        var session = new Session(Lottery(10) with { Lottery = Lottery(10).Lottery! with { DrawnAt = AfterDraw } }, [], [], allotments: []);
        Assert.Equal(0, session.Draw(Hash, AfterDraw));
        Assert.False(session.HasChanges);
    }

    [Fact]
    public void Draw_SteppedTransactions_HoldAtMost100RowsEachWithTheCounterAndCursor()
    {
        var entries = Enumerable.Range(0, 500).Select(i => Entry(ReservationCode.New().ToString(), 1 + i % 3, i)).ToList();
        var session = Drawable(capacity: 40, entries);
        session.Draw(Hash, AfterDraw);

        var ranges = SessionTransactions.Pack(session.Steps);
        Assert.True(ranges.Count > 5);
        foreach (var range in ranges)
        {
            Assert.True(SessionTransactions.Operations(session.Steps.Skip(range.Start).Take(range.Count)) <= TableLimits.MaxOperationsPerTransaction);
            Assert.True(session.Steps[range.Start + range.Count - 1].ChangesCounter);
        }
    }

    [Fact]
    public void Reserve_LotteryInItsEntryWindow_IsAnEntryWithItsSmsAndNoSeat()
    {
        var session = new Session(Lottery(10), allotments: []);
        var draft = new ReservationDraft(Entry("K7M2-QX9P", 2, 1) with { Code = "", Status = ReservationStatus.Confirmed }, "h1", JoinWaitlist: true, SkipAhead: false);

        var result = session.Reserve(draft, ReservationCode.Parse("K7M2QX9P"), DuringEntries);

        Assert.True(result.IsSuccess);
        Assert.Equal(ReservationStatus.Entered, result.Value!.Reservation.Status);
        Assert.Equal(SmsKind.Entered, result.Value.Message.Kind);
        Assert.Equal(0, session.State.Reserved);
        Assert.Equal(1, session.State.Lottery!.Entries);
        Assert.Equal(ErrorCode.DuplicateReservation, OnePhoneRuleCode(session.Reserve(draft, ReservationCode.Parse("7Q9984S9"), DuringEntries)));
    }

    private static ErrorCode OnePhoneRuleCode(Result<CommittedReservation> r) => r.Error!.Code;

    [Theory]
    [InlineData(-1, ErrorCode.BookingNotOpen)]
    [InlineData(4, ErrorCode.BookingNotOpen)]
    [InlineData(7, ErrorCode.BookingClosed)]
    public void Reserve_LotteryOutsideItsEntryWindow_IsRefusedWithTheWindowCodes(int daysAfterOpening, ErrorCode expected)
    {
        var session = new Session(Lottery(10), allotments: []);
        var draft = new ReservationDraft(Entry("K7M2-QX9P", 2, 1) with { Code = "" }, "h1", false, false);

        var result = session.Reserve(draft, ReservationCode.Parse("K7M2QX9P"), SessionsData.OpensAt.AddDays(daysAfterOpening));

        Assert.Equal(expected, result.Error!.Code);
        Assert.False(session.HasChanges);
    }

    [Fact]
    public void Cancel_EntryWhileEntriesAreOpen_LeavesTheDrawAndAfterTheyCloseIsRefused()
    {
        var entry = Entry("K7M2-QX9P", 2, 1);
        var open = new Session(Lottery(10, entries: 1), [entry], []);
        var cancelled = open.Cancel(entry.Code, CancelledBy.Visitor, null, false, Hash, DuringEntries);
        Assert.True(cancelled.IsSuccess);
        Assert.Equal(0, open.State.Lottery!.Entries);
        Assert.Equal(0, open.State.Reserved);

        var closed = new Session(Lottery(10, entries: 1), [entry], []);
        Assert.Equal(ErrorCode.CancellationClosed, closed.Cancel(entry.Code, CancelledBy.Staff, null, false, Hash, Window.EntriesCloseAt).Error!.Code);
        Assert.False(closed.HasChanges);
    }

    [Theory]
    [InlineData(0, 3, 5, null)]
    [InlineData(3, 3, 5, "entriesOpenAt must be before")]
    [InlineData(0, 3, 2, "drawAt must not be before")]
    [InlineData(0, 7, 7, "entriesCloseAt must not be after the session starts")]
    [InlineData(0, 3, 6, "drawAt must be before the session starts")]
    public void WindowProblem_WindowsThatDoNotMakeSense_AreRefused(int opensDay, int closesDay, int drawDay, string? problem)
    {
        var start = SessionsData.OpensAt.AddDays(6);
        var window = new LotteryWindow(SessionsData.OpensAt.AddDays(opensDay), SessionsData.OpensAt.AddDays(closesDay), SessionsData.OpensAt.AddDays(drawDay));
        var found = LotteryRules.WindowProblem(window, start);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found);
        }
    }

    [Fact]
    public void SetLottery_OnceEntriesOpened_IsRefusedAndBeforeKeepsTheSeed()
    {
        var session = new Session(Lottery(10), allotments: []);
        var later = Window with { DrawAt = Window.DrawAt.AddHours(1) };
        Assert.Null(session.SetLottery(later, SessionsData.OpensAt.AddDays(-1)));
        Assert.Equal(KnownSeed, session.State.Lottery!.Seed);
        Assert.Equal(later, session.State.Lottery.Window);

        var opened = new Session(Lottery(10), allotments: []);
        Assert.Equal(ErrorCode.ValidationFailed, opened.SetLottery(later, DuringEntries)!.Code);
        Assert.Equal(ErrorCode.ValidationFailed, opened.SetLottery(null, DuringEntries)!.Code);
        Assert.False(opened.HasChanges);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }
}
