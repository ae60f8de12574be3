using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Phones;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Twilio.Clients;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>
/// The running app configured for Twilio (so TwilioSmsSender on the real TwilioRestClient is in
/// use), its HTTP calls sent to a loopback server that answers like Twilio's Messages endpoint:
/// 201 is recorded as sent with its SID, 400/21211 as failed at once, 500 is retried, 429/20429
/// five times ends as failed; a create whose reply is lost is found by the next attempt's look-up
/// in Twilio's message list, never sent twice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsTwilioEndToEndTests(AzuriteFixture azurite)
{
    private const string Picnic = "picnic-zone.20240908.1500";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task EachTwilioAnswer_EndsAsSpecified()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var phones = new ConcurrentDictionary<string, string>(); // E.164 → behaviour
        var calls = new ConcurrentDictionary<string, int>();
        twilio.AnswerFor = form =>
        {
            var to = form["To"];
            var n = calls.AddOrUpdate(to, 1, (_, c) => c + 1);
            return phones.GetValueOrDefault(to) switch
            {
                "invalid" => FakeTwilio.Error(400, 21211),
                "limited" => FakeTwilio.Error(429, 20429),
                "outage-once" when n == 1 => (500, ""),
                _ => null,
            };
        };
        await using var app = await RunningApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = FakeTwilio.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilio.AuthToken,
            ["Twilio:From"] = "+15005550006",
            ["Twilio:StatusCallbackUrl"] = "https://festival.example/api/sms/status",
        }, s => s.AddSingleton<ITwilioRestClient>(twilio.CreateClient()));

        var ok = await ReserveAsync(app, phones, null);
        var invalid = await ReserveAsync(app, phones, "invalid");
        var outage = await ReserveAsync(app, phones, "outage-once");
        var limited = await ReserveAsync(app, phones, "limited");

        var sent = await SettledAsync(app, ok.Code, SmsStatus.Sent);
        Assert.StartsWith("SM", sent.GetProperty("twilioSid").GetString());
        Assert.Equal(1, sent.GetProperty("attempts").GetInt32());
        var call = Assert.Single(twilio.Calls, c => c.Form["To"] == ok.E164);
        Assert.Equal(FakeTwilio.AccountSid, call.AuthUser);
        Assert.Equal("+15005550006", call.Form["From"]);
        Assert.Equal("https://festival.example/api/sms/status", call.Form["StatusCallback"]);
        Assert.Contains(ok.Code, call.Form["Body"]);

        var refused = await SettledAsync(app, invalid.Code, SmsStatus.Failed);
        Assert.Equal(1, refused.GetProperty("attempts").GetInt32());
        Assert.StartsWith("Twilio 21211, HTTP 400", refused.GetProperty("lastError").GetString());

        var retried = await SettledAsync(app, outage.Code, SmsStatus.Sent);
        Assert.Equal(2, retried.GetProperty("attempts").GetInt32());

        var gaveUp = await SettledAsync(app, limited.Code, SmsStatus.Failed);
        Assert.Equal(SmsSendService.MaxAttempts, gaveUp.GetProperty("attempts").GetInt32());
        Assert.Contains("rate limited", gaveUp.GetProperty("lastError").GetString());

        await app.WaitPastRedeliveryAsync(); // a call more for any of them would have come by now
        Assert.Equal(1, calls[ok.E164]);
        Assert.Equal(1, calls[invalid.E164]);
        Assert.Equal(2, calls[outage.E164]);
        Assert.Equal(SmsSendService.MaxAttempts, calls[limited.E164]);
    }

    [Fact]
    public async Task LostRepliesResetsAndPoison_EverySmsEndsSentOnceAtTwilio_OrFailedInTheStaffList()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var phones = new ConcurrentDictionary<string, string>(); // E.164 → behaviour
        var creates = new ConcurrentDictionary<string, int>();
        var lookups = new ConcurrentDictionary<string, int>();
        var lookupsDown = true;
        twilio.FaultFor = form =>
        {
            var to = form["To"];
            var n = creates.AddOrUpdate(to, 1, (_, c) => c + 1);
            return (phones.GetValueOrDefault(to), n) switch
            {
                ("reply-lost" or "reply-lost, look-up down once" or "reply-lost, look-ups down", 1) => TwilioFault.CommitThenDropReply,
                ("500 after create", 1) => TwilioFault.CommitThenAnswer500,
                ("reset before create", 1) => TwilioFault.DropWithoutCommitting,
                _ => null,
            };
        };
        twilio.AnswerFor = form => phones.GetValueOrDefault(form["To"]) switch
        {
            "invalid" => FakeTwilio.Error(400, 21211),
            "limited" => FakeTwilio.Error(429, 20429),
            _ => null,
        };
        twilio.LookupAnswerFor = query =>
        {
            var to = query["To"].ToString();
            var n = lookups.AddOrUpdate(to, 1, (_, c) => c + 1);
            return (phones.GetValueOrDefault(to), n) switch
            {
                ("reply-lost, look-up down once", 1) => (500, ""),
                ("reply-lost, look-ups down", _) when Volatile.Read(ref lookupsDown) => (503, ""),
                _ => null,
            };
        };
        await using var app = await RunningApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = FakeTwilio.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilio.AuthToken,
            ["Twilio:From"] = "+15005550006",
        }, s => s.AddSingleton<ITwilioRestClient>(twilio.CreateClient()));

        (string Behaviour, string Final, int Creates)[] cases =
        [
            ("ok", SmsStatus.Sent, 1),
            ("reply-lost", SmsStatus.Sent, 1),
            ("500 after create", SmsStatus.Sent, 1),
            ("reset before create", SmsStatus.Sent, 2),
            ("reply-lost, look-up down once", SmsStatus.Sent, 1),
            ("invalid", SmsStatus.Failed, 1),
            ("limited", SmsStatus.Failed, SmsSendService.MaxAttempts),
            ("reply-lost, look-ups down", SmsStatus.Failed, 1),
        ];
        var bookings = new List<(string Code, string E164)>();
        foreach (var (behaviour, _, _) in cases)
        {
            bookings.Add(await ReserveAsync(app, phones, behaviour == "ok" ? null : behaviour));
        }

        for (var i = 0; i < cases.Length; i++)
        {
            await SettledAsync(app, bookings[i].Code, cases[i].Final);
        }

        await app.WaitPastRedeliveryAsync(); // a second create for any of them would have come by now

        var failedList = await app.Staff.GetFromJsonAsync<JsonElement[]>("api/staff/sms?status=failed");
        for (var i = 0; i < cases.Length; i++)
        {
            var (code, e164) = bookings[i];
            var item = await SettledAsync(app, code, cases[i].Final);
            var atTwilio = twilio.MessagesTo(e164);
            var what = $"{cases[i].Behaviour}: {JsonSerializer.Serialize(item)}, Twilio has {atTwilio.Count}";
            if (cases[i].Final == SmsStatus.Sent)
            {
                Assert.True(atTwilio.Count == 1, what);
                Assert.Equal(atTwilio[0].Sid, item.GetProperty("twilioSid").GetString());
            }
            else
            {
                Assert.True(atTwilio.Count <= 1, what);
                Assert.Contains(failedList!, f => f.GetProperty("messageId").GetString() == item.GetProperty("messageId").GetString());
            }

            Assert.True(cases[i].Creates == creates[e164], $"{what}, {creates[e164]} creates");
        }

        // Through sms-poison too (the ones that failed five times): the consumer has emptied it and left them failed.
        Assert.Empty((await app.SmsPoisonQueue.PeekMessagesAsync(32)).Value);

        // Twilio has the message whose look-ups all failed; once Twilio answers again, the staff retry finds it: no second SMS.
        var (lostCode, lostPhone) = bookings[^1];
        var lost = await SettledAsync(app, lostCode, SmsStatus.Failed);
        Assert.StartsWith("could not tell whether an earlier attempt was sent", lost.GetProperty("lastError").GetString());
        Volatile.Write(ref lookupsDown, false);
        using var retry = await app.Staff.PostAsync($"api/staff/sms/{lost.GetProperty("messageId").GetString()}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var found = await SettledAsync(app, lostCode, SmsStatus.Sent);
        await app.WaitPastRedeliveryAsync();
        Assert.Equal(Assert.Single(twilio.MessagesTo(lostPhone)).Sid, found.GetProperty("twilioSid").GetString());
        Assert.Equal(1, creates[lostPhone]);
    }

    private static async Task<(string Code, string E164)> ReserveAsync(RunningApp app, ConcurrentDictionary<string, string> phones, string? behaviour)
    {
        var phone = RunningApp.NewPhone();
        Assert.True(KoreanMobile.TryParse(phone, out var mobile));
        if (behaviour is not null)
        {
            phones[mobile.E164] = behaviour;
        }

        using var response = await app.ReserveAsync(Picnic, new { name = "Lee", phone, partySize = 1, language = "en" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!, mobile.E164);
    }

    private static async Task<JsonElement> SettledAsync(RunningApp app, string code, string status)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var items = await app.Staff.GetFromJsonAsync<JsonElement[]>($"api/staff/sms?reservationCode={code}");
            if (items!.Length == 1 && items[0].GetProperty("status").GetString() == status)
            {
                return items[0];
            }

            Assert.True(DateTime.UtcNow < until, $"SMS of {code} is not {status}: {JsonSerializer.Serialize(items)}");
            await Task.Delay(100);
        }
    }
}
