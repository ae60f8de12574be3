using FestivalReservations.Testing.FaultInjection;

namespace FestivalReservations.Tests.Testing.FaultInjection;

public sealed class FaultRuleTests
{
    private static readonly StorageCall CodeClaim = Call(CallKind.CodeClaim, "POST");
    private static readonly StorageCall CodeRead = Call(CallKind.CodeRead, "GET");

    [Fact]
    public void Once_FaultsTheFirstMatchingCallOnly_OtherKindsUncounted()
    {
        var rule = FaultRule.Once(CallKind.CodeClaim, Fault.DropReply);

        Assert.Null(rule.Decide(CodeRead));
        Assert.Equal(Fault.DropReply, rule.Decide(CodeClaim));
        Assert.Null(rule.Decide(CodeClaim));
        Assert.Equal((2, 1), (rule.Matched, rule.Fired));
    }

    [Fact]
    public void OnCall_FaultsTheNthOnly_FirstCallsTheFirstN_AlwaysEvery()
    {
        var third = FaultRule.OnCall(CallKind.CodeClaim, 3, Fault.Status503);
        var firstTwo = FaultRule.FirstCalls(CallKind.CodeClaim, 2, Fault.ResetBeforeForward);
        var always = FaultRule.Always(CallKind.CodeClaim, Fault.Status500);

        Assert.Equal([null, null, Fault.Status503, null], Decisions(third, 4));
        Assert.Equal([Fault.ResetBeforeForward, Fault.ResetBeforeForward, null, null], Decisions(firstTwo, 4));
        Assert.Equal([Fault.Status500, Fault.Status500, Fault.Status500], Decisions(always, 3));
    }

    [Fact]
    public void Rate_SameSeed_SameDecisions_AnotherSeedOthers_AboutTheRateGiven()
    {
        Fault[] faults = [Fault.DropReply, Fault.Status503, Fault.Delay(TimeSpan.FromSeconds(11))];
        FaultRule Rule(int seed) => FaultRule.Rate(0.05, [CallKind.CodeClaim, CallKind.SessionTransaction], faults, seed);

        var first = Decisions(Rule(20240908), 2000, mixed: true);
        var again = Decisions(Rule(20240908), 2000, mixed: true);
        var other = Decisions(Rule(7), 2000, mixed: true);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(f => f is not null), 60, 140); // 5 % of 2000 is 100
        Assert.Equal(faults.ToHashSet(), first.OfType<Fault>().ToHashSet()); // each fault drawn
        Assert.Equal(20240908, Rule(20240908).Seed);
    }

    [Fact]
    public void Rate_CallsOfOtherKinds_DoNotShiftTheSequence()
    {
        var plain = FaultRule.Rate(0.5, [CallKind.CodeClaim], [Fault.Status503], seed: 3);
        var interleaved = FaultRule.Rate(0.5, [CallKind.CodeClaim], [Fault.Status503], seed: 3);

        var expected = Enumerable.Range(0, 50).Select(_ => plain.Decide(CodeClaim)).ToList();
        var actual = Enumerable.Range(0, 50).Select(_ => interleaved.Decide(CodeRead) ?? interleaved.Decide(CodeClaim)).ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Where_NarrowsTheRule_AndOnlyNarrowedCallsCount()
    {
        var rule = FaultRule.Once(CallKind.CodeClaim, Fault.DropReply).Where(c => c.Method == "PUT");

        Assert.Null(rule.Decide(CodeClaim));
        Assert.Equal(Fault.DropReply, rule.Decide(Call(CallKind.CodeClaim, "PUT")));
        Assert.Equal(1, rule.Matched);
    }

    [Fact]
    public void Faults_OutOfRange_AreRefused_AndPrintReadably()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Status(302));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Delay(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.Rate(1.5, [CallKind.Other], [Fault.DropReply], 1));
        Assert.Throws<ArgumentException>(() => FaultRule.Rate(0.1, [], [Fault.DropReply], 1));
        Assert.Throws<ArgumentException>(() => FaultRule.Rate(0.1, [CallKind.Other], [], 1));
        Assert.Equal("Delay(10.5s)", Fault.Delay(TimeSpan.FromSeconds(10.5)).ToString());
        Assert.Equal("Status(503)", Fault.Status503.ToString());
        Assert.Equal("BlackHole(5s)", Fault.BlackHole(TimeSpan.FromSeconds(5)).ToString());
    }

    /// <summary>What the rule decides for <paramref name="calls"/> code claims (or, <paramref name="mixed"/>, claims and session transactions in turn).</summary>
    private static List<Fault?> Decisions(FaultRule rule, int calls, bool mixed = false) =>
        [.. Enumerable.Range(0, calls).Select(n => rule.Decide(mixed && n % 2 == 1 ? Call(CallKind.SessionTransaction, "POST") : CodeClaim))];

    private static StorageCall Call(CallKind kind, string method) => new(kind, new StorageRequest(method, "/devstoreaccount1/Codes", [], []));
}
