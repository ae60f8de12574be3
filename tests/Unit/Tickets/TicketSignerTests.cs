using System.Security.Cryptography;
using System.Text;
using FestivalReservations.Core.Catalog;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Tickets;
using Microsoft.Extensions.Options;

namespace FestivalReservations.Tests.Unit.Tickets;

/// <summary>Signed tickets: what verifies, what does not (tampered, foreign key, other day), and key rotation.</summary>
public sealed class TicketSignerTests
{
    private const string KeyOne = "1:first-ticket-signing-key-for-the-tests-000001";
    private const string KeyTwo = "2:second-ticket-signing-key-for-the-tests-00002";
    private static readonly DateOnly Sunday = new(2024, 9, 8);
    private static readonly ReservationCode Code = ReservationCode.Parse("K7M2-QX9P");

    private static TicketSigner Signer(string keys, string current) => new(
        Options.Create(new TicketOptions { SigningKeys = keys, CurrentKeyId = current }),
        Options.Create(new FestivalOptions { PublicBaseUrl = "https://festa.example.kr/" }));

    private static string Tamper(string text, int index) =>
        text[..index] + (text[index] == '0' ? '1' : '0') + text[(index + 1)..];

    [Fact]
    public void Sign_ThenVerify_HoldsForTheSessionsDay()
    {
        var signer = Signer(KeyOne, "1");
        var ticket = signer.Sign(Code, Sunday);

        Assert.Equal(Ticket.Length, ticket.ToString().Length);
        Assert.StartsWith("K7M2QX9P1", ticket.ToString(), StringComparison.Ordinal);
        Assert.True(Ticket.TryParse(ticket.ToString(), out var parsed));
        Assert.True(signer.Verify(parsed, Sunday));
        Assert.Equal(ticket, signer.Sign(Code, Sunday));
    }

    [Fact]
    public void Verify_TamperedMacOrCode_IsRefused()
    {
        var signer = Signer(KeyOne, "1");
        var text = signer.Sign(Code, Sunday).ToString();

        for (var i = 0; i < text.Length; i++)
        {
            if (i == ReservationCode.Length)
            {
                continue; // the key id: tested below
            }

            Assert.True(Ticket.TryParse(Tamper(text, i), out var tampered));
            Assert.False(signer.Verify(tampered, Sunday), $"a ticket changed at {i} verified: {tampered}");
        }
    }

    [Fact]
    public void Sign_CarriesItsDaysMark_ReadableWithoutAKey()
    {
        var ticket = Signer(KeyOne, "1").Sign(Code, Sunday);

        Assert.Equal(Ticket.DayMark(Sunday), ticket.Day);
        Assert.Equal(Ticket.DayMark(Sunday), ticket.ToString()[ReservationCode.Length + 1]);
        Assert.True(Ticket.TryParse(ticket.ToString(), out var parsed));
        Assert.Equal(ticket, parsed);
        // 2024-09-08 is day 19,974 since 1970-01-01: 19,974 mod 32 = 6 (what the staff page computes too).
        Assert.Equal('6', Ticket.DayMark(Sunday));
    }

    [Fact]
    public void DayMark_EverySundayOfASeason_IsItsOwn()
    {
        var sundays = Enumerable.Range(0, 31).Select(w => Sunday.AddDays(7 * w)).ToList();

        Assert.Equal(sundays.Count, sundays.Select(Ticket.DayMark).Distinct().Count());
        Assert.Equal(Ticket.DayMark(Sunday), Ticket.DayMark(Sunday.AddDays(224)));
    }

    [Fact]
    public void Verify_TicketWhoseDayMarkNamesAnotherDay_IsRefusedEvenWithItsMac()
    {
        var signer = Signer(KeyOne, "1");
        var ticket = signer.Sign(Code, Sunday);

        Assert.False(signer.Verify(ticket with { Day = Ticket.DayMark(Sunday.AddDays(7)) }, Sunday));
    }

    [Fact]
    public void Verify_TicketSentBeforeTheDayMark_StillVerifiesOnItsDayOnly()
    {
        var signer = Signer(KeyOne, "1");
        var legacy = signer.Sign(Code, Sunday) with { Day = null };

        Assert.Equal(Ticket.LegacyLength, legacy.ToString().Length);
        Assert.True(Ticket.TryParse(legacy.ToString(), out var parsed));
        Assert.Null(parsed.Day);
        Assert.True(signer.Verify(parsed, Sunday));
        Assert.False(signer.Verify(parsed, Sunday.AddDays(7)));
    }

    [Fact]
    public void Verify_AnotherDay_IsRefused()
    {
        var signer = Signer(KeyOne, "1");
        var ticket = signer.Sign(Code, Sunday);

        Assert.False(signer.Verify(ticket, Sunday.AddDays(7)));
        Assert.False(signer.Verify(ticket, Sunday.AddDays(-1)));
    }

    [Fact]
    public void Verify_ForeignKey_IsRefused()
    {
        var ours = Signer(KeyOne, "1");
        var foreign = Signer("1:someone-elses-signing-key-under-our-key-id-01", "1");

        Assert.False(ours.Verify(foreign.Sign(Code, Sunday), Sunday));
        Assert.False(foreign.Verify(ours.Sign(Code, Sunday), Sunday));
    }

    [Fact]
    public void Verify_UnknownKeyId_IsRefused()
    {
        var ticket = Signer(KeyOne, "1").Sign(Code, Sunday);
        var renamed = ticket with { KeyId = '3' };

        Assert.False(Signer(KeyOne, "1").Verify(renamed, Sunday));
        Assert.False(Signer(KeyOne + "," + KeyTwo, "2").Verify(ticket with { KeyId = '2' }, Sunday));
    }

    [Fact]
    public void Rotation_NewKeyCurrent_OldTicketsStillVerify_UntilTheOldKeyIsDropped()
    {
        var before = Signer(KeyOne, "1");
        var old = before.Sign(Code, Sunday);

        var rotated = Signer(KeyOne + "," + KeyTwo, "2");
        var fresh = rotated.Sign(Code, Sunday);

        Assert.Equal('1', old.KeyId);
        Assert.Equal('2', fresh.KeyId);
        Assert.NotEqual(old.Mac, fresh.Mac);
        Assert.True(rotated.Verify(old, Sunday));
        Assert.True(rotated.Verify(fresh, Sunday));
        Assert.False(before.Verify(fresh, Sunday));

        var retired = Signer(KeyTwo, "2");
        Assert.False(retired.Verify(old, Sunday));
        Assert.True(retired.Verify(fresh, Sunday));
    }

    [Fact]
    public void DayKeys_HandedToStaff_ReproduceTheMac_AndDifferByDayAndKey()
    {
        var signer = Signer(KeyOne + "," + KeyTwo, "2");
        var keys = signer.DayKeys(Sunday);

        Assert.Equal(["1", "2"], keys.Select(k => k.KeyId));
        foreach (var (id, key) in keys)
        {
            var dayKey = Convert.FromBase64String(key.Replace('-', '+').Replace('_', '/') + "=");
            // What the staff page computes: HMAC-SHA256(day key, "ticket:" + code), first 40 bits in Crockford base32.
            var mac = Ticket.Truncate(HMACSHA256.HashData(dayKey, Encoding.UTF8.GetBytes("ticket:" + Code.Value)));
            Assert.True(signer.Verify(new Ticket(Code, id[0], mac), Sunday));
        }

        Assert.NotEqual(keys[0].Key, keys[1].Key);
        Assert.NotEqual(keys[0].Key, signer.DayKeys(Sunday.AddDays(7))[0].Key);
        Assert.DoesNotContain(keys, k => k.Key.Contains("signing-key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("k7m2qx9p1abcd2345", true)]
    [InlineData("K7M2-QX9P-1ABC-D2345", true)]
    [InlineData("K7M2QX9P1ABCD234", false)]
    [InlineData("k7m2qx9p1vabcd2345", true)]
    [InlineData("K7M2-QX9P-1V-ABCD-2345", true)]
    [InlineData("K7M2QX9P1VABCD23456", false)]
    [InlineData("K7M2QX9P1ABCD234U", false)]
    [InlineData("K7M2-QX9P", false)]
    [InlineData("", false)]
    public void TryParse_ReadsLikeACode(string text, bool valid) =>
        Assert.Equal(valid, Ticket.TryParse(text, out _));

    [Fact]
    public void PathAndUrl_AreTheTicketPage()
    {
        var signer = Signer(KeyOne, "1");
        var path = signer.PathFor(Code.Value, Sunday);

        Assert.Equal("/t/" + signer.Sign(Code, Sunday), path);
        Assert.Equal("https://festa.example.kr" + path, signer.UrlFor(Code.Value, Sunday));
    }

    [Theory]
    [InlineData("1:short", "1", false)]
    [InlineData("", "1", false)]
    [InlineData("I:first-ticket-signing-key-for-the-tests-000001", "I", false)]
    [InlineData("1:first-ticket-signing-key-for-the-tests-000001", "2", false)]
    [InlineData("1:first-ticket-signing-key-for-the-tests-000001,1:first-ticket-signing-key-for-the-tests-000002", "1", false)]
    [InlineData("12:first-ticket-signing-key-for-the-tests-000001", "12", false)]
    [InlineData("1:first-ticket-signing-key-for-the-tests-000001", "1", true)]
    [InlineData("1:first-ticket-signing-key-for-the-tests-000001, 2:second-ticket-signing-key-for-the-tests-00002", "2", true)]
    public void Options_AreValidatedAtStart(string keys, string current, bool valid) =>
        Assert.Equal(valid, new TicketOptions { SigningKeys = keys, CurrentKeyId = current }.Problem() is null);

    [Theory]
    [InlineData("https://festa.example.kr", true)]
    [InlineData("http://localhost:7071", true)]
    [InlineData("https://festa.example.kr/", true)]
    [InlineData("", false)]
    [InlineData("festa.example.kr", false)]
    [InlineData("ftp://festa.example.kr", false)]
    [InlineData("https://festa.example.kr/tickets", false)]
    [InlineData("https://festa-ddooddoo.seoul.kr", false)]
    [InlineData("https://festa-ddooddoo.com", true)]
    [InlineData("https://func-api-abcdefghijklm.azurewebsites.net", false)]
    public void PublicBaseUrl_IsShortSchemeAndHost(string url, bool valid) =>
        Assert.Equal(valid, new FestivalOptions { PublicBaseUrl = url }.PublicBaseUrlProblem() is null);
}
