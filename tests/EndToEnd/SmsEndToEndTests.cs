using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Phones;
using FestivalReservations.Core.Storage;
using FestivalReservations.DevHost;
using FestivalReservations.DevHost.Queues;
using FestivalReservations.Testing;
using FestivalReservations.Tests.Hardening;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Tests.EndToEnd;

/// <summary>
/// SMS through the running app (devhost over Azurite): reservation → outbox → sms queue → SendSms
/// → sender, SmsLog as staff see it, the outbox sweep, duplicates, poison and retry, reminders,
/// and Twilio's status callback.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsEndToEndTests(AzuriteFixture azurite)
{
    private const string Picnic = "picnic-zone.20240908.1300";
    private const string CallbackUrl = "https://festival.example/api/sms/status";
    private const string CallbackToken = "status-callback-test-token";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public sealed record SmsItem(
        string MessageId, string ReservationCode, string Kind, string Language, string To, string Status,
        int Attempts, string? LastError, string? TwilioSid, string UpdatedAt);

    private sealed record Booking(string Code, string Phone);

    private async Task<(RunningApp App, RecordingSmsSender Sender)> StartAsync(IDictionary<string, string?>? settings = null, CapturedLogs? logs = null)
    {
        var sender = new RecordingSmsSender();
        var values = new Dictionary<string, string?>
        {
            ["Twilio:AuthToken"] = CallbackToken,
            ["Twilio:StatusCallbackUrl"] = CallbackUrl,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = await RunningApp.StartAsync(azurite, values, s =>
        {
            s.AddSingleton<ISmsSender>(sender);
            if (logs is not null)
            {
                s.AddSingleton<ILoggerProvider>(logs);
            }
        });
        return (app, sender);
    }

    private static async Task<Booking> ReserveAsync(RunningApp app, string language = "ko", string session = Picnic)
    {
        var phone = RunningApp.NewPhone();
        using var response = await app.ReserveAsync(session, new { name = "테스트 방문자", phone, partySize = 2, language, joinWaitlist = false });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Booking(body.GetProperty("code").GetString()!, phone);
    }

    private static async Task<List<SmsItem>> ListAsync(RunningApp app, string query)
    {
        using var response = await app.Staff.GetAsync($"api/staff/sms?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<SmsItem>>())!;
    }

    private static async Task<List<SmsItem>> WaitForAsync(RunningApp app, string code, Func<List<SmsItem>, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var items = await ListAsync(app, $"reservationCode={code}");
            if (done(items))
            {
                return items;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"SMS of {code} did not settle in time: {JsonSerializer.Serialize(items)}");
            }

            await Task.Delay(100);
        }
    }

    private static string E164(string phone) => KoreanMobile.TryParse(phone, out var mobile) ? mobile.E164 : throw new ArgumentException(phone);

    [Fact]
    public async Task Waitlist_WaitlistedThenPromoted_EachArrivesOnce()
    {
        const string session = "fountain-reading-nook.20240908.1830"; // 40 seats, parties of up to 2
        var (app, sender) = await StartAsync();
        await using var _ = app;
        var confirmed = new List<Booking>();
        for (var i = 0; i < 20; i++)
        {
            confirmed.Add(await ReserveAsync(app, session: session));
        }

        var phone = RunningApp.NewPhone();
        using var join = await app.ReserveAsync(session, new { name = "대기 방문자", phone, partySize = 2, language = "ko", joinWaitlist = true });
        Assert.Equal(HttpStatusCode.Created, join.StatusCode);
        var waiting = await join.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("waitlisted", waiting.GetProperty("status").GetString());
        var code = waiting.GetProperty("code").GetString()!;
        await WaitForAsync(app, code, l => l.Any(i => i.Kind == SmsKind.Waitlisted && i.Status == SmsStatus.Sent));

        using var cancel = await app.Client.PostAsJsonAsync($"api/reservations/{confirmed[0].Code}/cancel", new { phone = confirmed[0].Phone });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var items = await WaitForAsync(app, code, l => l.Any(i => i.Kind == SmsKind.Promoted && i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync(); // a second copy of either would have shown up by now

        items = await ListAsync(app, $"reservationCode={code}");
        Assert.Equal([SmsKind.Promoted, SmsKind.Waitlisted], items.Select(i => i.Kind)); // newest first
        Assert.All(items, i => Assert.Equal((SmsStatus.Sent, 1, "ko"), (i.Status, i.Attempts, i.Language)));
        Assert.All(items, i => Assert.Equal(1, sender.SentCount(i.MessageId)));
        Assert.Equal(2, sender.Sent.Count(m => m.To == E164(phone)));
    }

    [Fact]
    public async Task Reservation_SendsExactlyOneConfirmedSms_InItsLanguage_WithoutTheName()
    {
        var (app, sender) = await StartAsync();
        await using var _ = app;

        var booking = await ReserveAsync(app, language: "en");
        var items = await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync(); // anything more, a redelivery included, would have shown up by now

        var item = Assert.Single(await ListAsync(app, $"reservationCode={booking.Code}"));
        Assert.Equal(SmsKind.Confirmed, item.Kind);
        Assert.Equal("en", item.Language);
        Assert.Equal(booking.Code, item.ReservationCode);
        Assert.Equal(KoreanMobile.Mask(E164(booking.Phone)), item.To);
        Assert.Equal(1, item.Attempts);
        Assert.StartsWith("SMTEST", item.TwilioSid);
        var sent = Assert.Single(sender.Sent, m => m.MessageId == item.MessageId);
        Assert.Equal(E164(booking.Phone), sent.To);
        Assert.Contains("Confirmed: Picnic Zone, Sun 8 Sep 13:00, 2 people. Code " + booking.Code, sent.Text);
        Assert.DoesNotContain("테스트", sent.Text);
        Assert.Single(items);
    }

    [Fact]
    public async Task CrashBetweenCommitAndEnqueue_TheSweepSendsExactlyOne()
    {
        var (app, sender) = await StartAsync();
        await using var _ = app;
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        var dropped = 0;
        dispatcher.DropBeforeEnqueue = _ => Interlocked.Exchange(ref dropped, 1) == 0;

        var booking = await ReserveAsync(app);
        await Task.Delay(1000);
        Assert.Empty(await ListAsync(app, $"reservationCode={booking.Code}"));
        var outbox = await OutboxRowsAsync(booking.Code);
        Assert.Single(outbox);

        // The sweep takes records older than a minute by the app's clock; this test does not wait a minute.
        var sweeper = app.Services.GetRequiredService<OutboxSweeper>();
        var functions = app.Services.GetRequiredService<DevHostFunctions>();
        Assert.Equal(0, await CountSweptAsync(functions, sweeper, booking.Code)); // too young at the default age
        dispatcher.DropBeforeEnqueue = null;
        sweeper.MinimumAge = TimeSpan.Zero;
        await functions.InvokeTimerAsync("SweepOutbox");
        await functions.InvokeTimerAsync("SweepOutbox");

        var items = await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync();
        var item = Assert.Single(items);
        Assert.Equal(SmsKind.Confirmed, item.Kind);
        Assert.Equal(1, sender.SentCount(item.MessageId));
        Assert.Empty(await OutboxRowsAsync(booking.Code));
    }

    private async Task<int> CountSweptAsync(DevHostFunctions functions, OutboxSweeper sweeper, string code)
    {
        await functions.InvokeTimerAsync("SweepOutbox");
        return (await OutboxRowsAsync(code)).Count == 0 ? 1 : 0;
    }

    private async Task<List<TableEntity>> OutboxRowsAsync(string code)
    {
        var sessions = azurite.CreateTableServiceClient().GetTableClient("Sessions");
        var raw = code.Replace("-", "", StringComparison.Ordinal);
        var rows = new List<TableEntity>();
        await foreach (var row in sessions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
            $"PartitionKey eq {Picnic} and RowKey ge {SessionRows.OutboxPrefix} and RowKey lt {"o."}")))
        {
            if (OutboxRows.FromEntity(row).Messages.Any(m => m.ReservationCode == raw))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    [Fact]
    public async Task SameQueueMessageDeliveredTwice_SendsOnce()
    {
        var (app, sender) = await StartAsync();
        await using var _ = app;
        var booking = await ReserveAsync(app);
        var first = Assert.Single(await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent)));
        var queue = app.SmsQueue;

        // A redelivery of a message that was sent already.
        var again = JsonSerializer.Serialize(new OutboxMessage(first.MessageId, Picnic, booking.Code.Replace("-", ""), SmsKind.Confirmed, DateTimeOffset.UtcNow), JsonPolicies.Stored);
        await queue.SendMessageAsync(again);
        // Two copies of a new message id at once (the dispatch and a sweep racing): they overlap in one batch.
        var twinId = "twin-" + Guid.NewGuid().ToString("N");
        var twin = JsonSerializer.Serialize(new OutboxMessage(twinId, Picnic, booking.Code.Replace("-", ""), SmsKind.Promoted, DateTimeOffset.UtcNow), JsonPolicies.Stored);
        await Task.WhenAll(queue.SendMessageAsync(twin), queue.SendMessageAsync(twin));

        await WaitForAsync(app, booking.Code, l => l.Any(i => i.MessageId == twinId && i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync(); // the second copy, retried after the lease refusal, settles as a no-op

        Assert.Equal(1, sender.SentCount(first.MessageId));
        Assert.Equal(1, sender.SentCount(twinId));
        var items = await ListAsync(app, $"reservationCode={booking.Code}");
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(SmsStatus.Sent, i.Status));
    }

    [Fact]
    public async Task MessageTakenByAnInstanceThatDied_ComesBackWithinTheRedeliveryWindow_AndIsSentOnce()
    {
        var (app, sender) = await StartAsync();
        await using var _ = app;
        var booking = await ReserveAsync(app);
        await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent));
        var orphanId = "orphan-" + Guid.NewGuid().ToString("N");
        var orphan = JsonSerializer.Serialize(new OutboxMessage(orphanId, Picnic, booking.Code.Replace("-", ""), SmsKind.Promoted, DateTimeOffset.UtcNow), JsonPolicies.Stored);

        // Invisible for one visibility timeout, as if an instance had received it and died before deleting it.
        var clock = Stopwatch.StartNew();
        await app.SmsQueue.SendMessageAsync(orphan, visibilityTimeout: AppSettings.QueueVisibilityTimeout);
        while (sender.SentCount(orphanId) == 0 && clock.Elapsed < Patience)
        {
            await Task.Delay(20);
        }

        var sentAfter = clock.Elapsed;
        Assert.InRange(sentAfter, AppSettings.QueueVisibilityTimeout - TimeSpan.FromMilliseconds(100), app.Settings.RedeliveryWindow);
        await app.WaitPastRedeliveryAsync();
        Assert.Equal(1, sender.SentCount(orphanId));
    }

    [Fact]
    public async Task OneQueueMessageForACommit_OneSmsFailingOnce_EachSentOnce()
    {
        var (app, sender) = await StartAsync();
        await using var _ = app;
        var first = await ReserveAsync(app);
        var second = await ReserveAsync(app);
        await WaitForAsync(app, first.Code, l => l.Any(i => i.Status == SmsStatus.Sent));
        await WaitForAsync(app, second.Code, l => l.Any(i => i.Status == SmsStatus.Sent));
        var (ok, flaky) = ("batch-ok-" + Guid.NewGuid().ToString("N"), "batch-flaky-" + Guid.NewGuid().ToString("N"));
        var failures = 0;
        sender.Fail = m => m.MessageId == flaky && Interlocked.Increment(ref failures) == 1
            ? SmsSendException.Transient("Twilio 20500, HTTP 500: Twilio error") : null;

        // The SMS of one commit travel in one queue message; the queue retries it whole.
        var body = SmsQueueMessage.Write([
            new OutboxMessage(ok, Picnic, first.Code.Replace("-", ""), SmsKind.Promoted, DateTimeOffset.UtcNow),
            new OutboxMessage(flaky, Picnic, second.Code.Replace("-", ""), SmsKind.Promoted, DateTimeOffset.UtcNow),
        ]);
        await app.SmsQueue.SendMessageAsync(body);

        await WaitForAsync(app, second.Code, l => l.Any(i => i.MessageId == flaky && i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync();
        Assert.Equal(1, sender.SentCount(ok));
        Assert.Equal(1, sender.SentCount(flaky));
        Assert.Equal(2, failures);
        Assert.Equal(2, (await ListAsync(app, $"reservationCode={second.Code}")).Single(i => i.MessageId == flaky).Attempts);
        Assert.Equal(1, (await ListAsync(app, $"reservationCode={first.Code}")).Single(i => i.MessageId == ok).Attempts);
    }

    [Fact]
    public async Task FailingFiveTimes_EndsInPoisonAndFailedList_AndStaffRetrySendsOnce()
    {
        var logs = new CapturedLogs();
        var (app, sender) = await StartAsync(logs: logs);
        await using var _ = app;
        var phone = RunningApp.NewPhone();
        var to = E164(phone);
        sender.Fail = m => m.To == to ? SmsSendException.Transient("Twilio 20500, HTTP 500: Twilio error") : null;

        using (var response = await app.ReserveAsync(Picnic, new { name = "Kim", phone, partySize = 1, language = "ko" }))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var code = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
            var failed = Assert.Single(await WaitForAsync(app, code, l => l.Any(i => i.Status == SmsStatus.Failed)));
            Assert.Equal(SmsSendService.MaxAttempts, failed.Attempts);
            Assert.Contains("HTTP 500", failed.LastError);
            Assert.Null(failed.TwilioSid);
            Assert.Contains(await ListAsync(app, "status=failed"), i => i.MessageId == failed.MessageId);
            Assert.DoesNotContain(await ListAsync(app, "status=sent"), i => i.MessageId == failed.MessageId);

            // The queue moved it to sms-poison, where the poison consumer found it failed already and left it so.
            await WaitForLogAsync(logs, $"Poisoned SMS {failed.MessageId} ({SmsKind.Confirmed}) is already {SmsStatus.Failed}");
            Assert.Equal(failed, Assert.Single(await ListAsync(app, $"reservationCode={code}")));

            sender.Fail = null;
            using var retry = await app.Staff.PostAsync($"api/staff/sms/{failed.MessageId}/retry", null);
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

            var sent = Assert.Single(await WaitForAsync(app, code, l => l.Any(i => i.Status == SmsStatus.Sent)));
            await app.WaitPastRedeliveryAsync();
            Assert.Equal(1, sender.SentCount(failed.MessageId));
            Assert.Equal(1, sent.Attempts);
            Assert.Null(sent.LastError);

            using var again = await app.Staff.PostAsync($"api/staff/sms/{failed.MessageId}/retry", null);
            await ProblemAsync(again, HttpStatusCode.Conflict, "sms-not-failed");
            using var unknown = await app.Staff.PostAsync("api/staff/sms/no-such-message/retry", null);
            await ProblemAsync(unknown, HttpStatusCode.NotFound, "not-found");
            using var anonymous = await app.Client.PostAsync($"api/staff/sms/{failed.MessageId}/retry", null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
    }

    [Fact]
    public async Task PoisonedWhilePending_ShowsAsFailedToStaff_AndTheirRetrySendsItOnce()
    {
        var (app, sender) = await StartAsync();
        await using var _ = app;
        var listened = app.Services.GetServices<IHostedService>().OfType<QueueTriggerListener>().Select(l => l.QueueName);
        Assert.Contains(app.SmsPoisonQueue.Name, listened); // %Storage:SmsQueueName%-poison, resolved
        var booking = await ReserveAsync(app);
        await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent));

        // A delivery that claimed the SMS and died, then four more that failed before a claim (storage
        // down): the row stays pending, its lease long over, and the host moves the message to poison.
        var message = new OutboxMessage("poisoned-" + Guid.NewGuid().ToString("N"), Picnic, booking.Code.Replace("-", ""), SmsKind.Promoted, DateTimeOffset.UtcNow);
        await app.Services.GetRequiredService<SmsLogStore>().SaveAsync(new SmsLogEntry
        {
            MessageId = message.MessageId,
            ReservationCode = message.ReservationCode,
            SessionId = Picnic,
            Kind = message.Kind,
            Language = "ko",
            To = KoreanMobile.Mask(E164(booking.Phone)),
            Status = SmsStatus.Pending,
            Attempts = 1,
            LastError = "Twilio unreachable (network or timeout)",
            CreatedAt = RunningApp.PinnedNow.AddMinutes(-10),
            UpdatedAt = RunningApp.PinnedNow.AddMinutes(-10),
            SendingUntil = RunningApp.PinnedNow.AddMinutes(-8),
        }, CancellationToken.None);
        await app.SmsPoisonQueue.SendMessageAsync(SmsQueueMessage.Write(message));

        var failed = (await WaitForAsync(app, booking.Code, l => l.Any(i => i.MessageId == message.MessageId && i.Status == SmsStatus.Failed)))
            .Single(i => i.MessageId == message.MessageId);
        Assert.Equal($"the queue gave up after {SmsSendService.MaxAttempts} deliveries; last error: Twilio unreachable (network or timeout)", failed.LastError);
        Assert.Contains(await ListAsync(app, "status=failed"), i => i.MessageId == message.MessageId);
        Assert.Equal(0, sender.SentCount(message.MessageId));

        using var retry = await app.Staff.PostAsync($"api/staff/sms/{message.MessageId}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await WaitForAsync(app, booking.Code, l => l.Any(i => i.MessageId == message.MessageId && i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync();

        Assert.Equal(1, sender.SentCount(message.MessageId));
        Assert.Empty((await app.SmsPoisonQueue.PeekMessagesAsync(32)).Value);
    }

    private static async Task WaitForLogAsync(CapturedLogs logs, string text)
    {
        var until = DateTime.UtcNow + Patience;
        while (!logs.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < until, $"no log line says: {text}");
            await Task.Delay(100);
        }
    }

    private static async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ListByReservationCode_ShowsEveryMessageWithItsStatus_NewestFirst()
    {
        var (app, _) = await StartAsync();
        await using var _app = app;
        var booking = await ReserveAsync(app);
        await WaitForAsync(app, booking.Code, l => l.Count == 1 && l[0].Status == SmsStatus.Sent);
        using (var cancel = await app.Client.PostAsJsonAsync($"api/reservations/{booking.Code}/cancel", new { phone = booking.Phone }))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var items = await WaitForAsync(app, booking.Code, l => l.Count == 2 && l.All(i => i.Status == SmsStatus.Sent));

        Assert.Equal([SmsKind.Cancelled, SmsKind.Confirmed], items.Select(i => i.Kind));
        Assert.All(items, i => Assert.Equal(booking.Code, i.ReservationCode));
        Assert.Equal(2, (await ListAsync(app, $"status=sent&reservationCode={booking.Code.ToLowerInvariant().Replace("-", "")}")).Count);
        Assert.Empty(await ListAsync(app, $"status=failed&reservationCode={booking.Code}"));
        Assert.Equal(2, (await ListAsync(app, $"status=all&reservationCode={booking.Code}")).Count);
        using var bad = await app.Staff.GetAsync("api/staff/sms?status=lost");
        await ProblemAsync(bad, HttpStatusCode.BadRequest, "validation-failed");
        using var anonymous = await app.Client.GetAsync($"api/staff/sms?reservationCode={booking.Code}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task StatusCallback_WrongSignature_403AndNothingChanges_ValidOne_MarksDelivered()
    {
        var (app, _) = await StartAsync();
        await using var _app = app;
        var booking = await ReserveAsync(app);
        var sent = Assert.Single(await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent)));
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000000",
            ["MessageSid"] = sent.TwilioSid!,
            ["MessageStatus"] = "delivered",
            ["SmsStatus"] = "delivered",
            ["To"] = "+821000000000",
        };

        foreach (var signature in new[] { null, "", Sign("wrong-token", CallbackUrl, form), Sign(CallbackToken, "https://elsewhere.example/api/sms/status", form) })
        {
            using var refused = await PostCallbackAsync(app, form, signature);
            await ProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        }

        var unchanged = Assert.Single(await ListAsync(app, $"reservationCode={booking.Code}"));
        Assert.Equal(sent, unchanged);

        using var tampered = await PostCallbackAsync(app, new Dictionary<string, string>(form) { ["MessageStatus"] = "failed" }, Sign(CallbackToken, CallbackUrl, form));
        await ProblemAsync(tampered, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(sent, Assert.Single(await ListAsync(app, $"reservationCode={booking.Code}")));

        using var accepted = await PostCallbackAsync(app, form, Sign(CallbackToken, CallbackUrl, form));
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        var delivered = Assert.Single(await ListAsync(app, $"reservationCode={booking.Code}"));
        Assert.Equal(SmsStatus.Delivered, delivered.Status);
        Assert.Equal(sent.TwilioSid, delivered.TwilioSid);
    }

    [Fact]
    public async Task StatusCallbacks_EachTwilioStatusAndALateSentAfterDelivered_LeaveTheRightStatus()
    {
        var (app, _) = await StartAsync();
        await using var _app = app;
        (string[] Statuses, string Final)[] cases =
        [
            (["queued"], SmsStatus.Sent),
            (["sent"], SmsStatus.Sent),
            (["delivered"], SmsStatus.Delivered),
            (["undelivered"], SmsStatus.Undelivered),
            (["failed"], SmsStatus.Failed),
            (["delivered", "sent"], SmsStatus.Delivered),
        ];
        var bookings = new List<(Booking Booking, SmsItem Sent)>();
        foreach (var _ in cases)
        {
            var booking = await ReserveAsync(app);
            bookings.Add((booking, Assert.Single(await WaitForAsync(app, booking.Code, l => l.Any(i => i.Status == SmsStatus.Sent)))));
        }

        for (var i = 0; i < cases.Length; i++)
        {
            foreach (var status in cases[i].Statuses)
            {
                var form = new Dictionary<string, string>
                {
                    ["AccountSid"] = "AC00000000000000000000000000000000",
                    ["MessageSid"] = bookings[i].Sent.TwilioSid!,
                    ["MessageStatus"] = status,
                    ["ErrorCode"] = status is "undelivered" or "failed" ? "30003" : "",
                };
                using var response = await PostCallbackAsync(app, form, Sign(CallbackToken, CallbackUrl, form));
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
        }

        for (var i = 0; i < cases.Length; i++)
        {
            var item = Assert.Single(await ListAsync(app, $"reservationCode={bookings[i].Booking.Code}"));
            Assert.True(cases[i].Final == item.Status, $"{string.Join(", ", cases[i].Statuses)}: {item.Status}, expected {cases[i].Final}");
            Assert.Equal(bookings[i].Sent.TwilioSid, item.TwilioSid);
        }

        var failed = await ListAsync(app, "status=failed");
        var carrierFailed = Assert.Single(failed, f => f.MessageId == bookings[4].Sent.MessageId);
        Assert.Equal("carrier: failed (Twilio error 30003)", carrierFailed.LastError);
    }

    private static Task<HttpResponseMessage> PostCallbackAsync(RunningApp app, Dictionary<string, string> form, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/sms/status") { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        }

        return app.Client.SendAsync(request);
    }

    /// <summary>Twilio's signature: HMAC-SHA1 over the URL followed by each form key and value, keys sorted; Base64.</summary>
    private static string Sign(string token, string url, IReadOnlyDictionary<string, string> form)
    {
        var data = new StringBuilder(url);
        foreach (var key in form.Keys.Order(StringComparer.Ordinal))
        {
            data.Append(key).Append(form[key]);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data.ToString())));
    }

    [Fact]
    public async Task Reminders_OnAFestivalMorning_OnePerConfirmedReservation_EvenWhenTheTimerFiresTwice()
    {
        // Sunday 2024-09-08 10:00 KST: a festival day, its afternoon sessions still bookable.
        var (app, sender) = await StartAsync(new Dictionary<string, string?> { ["Festival:Now"] = "2024-09-08T10:00:00+09:00" });
        await using var _ = app;
        var confirmed = await ReserveAsync(app, language: "en");
        var cancelled = await ReserveAsync(app);
        using (var cancel = await app.Client.PostAsJsonAsync($"api/reservations/{cancelled.Code}/cancel", new { phone = cancelled.Phone }))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var functions = app.Services.GetRequiredService<DevHostFunctions>();
        await Task.WhenAll(functions.InvokeTimerAsync("SendReminders"), functions.InvokeTimerAsync("SendReminders"));
        await functions.InvokeTimerAsync("SendReminders");

        var reminderId = ReminderScheduler.MessageIdFor(confirmed.Code.Replace("-", ""));
        var items = await WaitForAsync(app, confirmed.Code, l => l.Any(i => i.Kind == SmsKind.Reminder && i.Status == SmsStatus.Sent));
        await app.WaitPastRedeliveryAsync();
        Assert.Equal(1, sender.SentCount(reminderId));
        Assert.Contains("Today 13:00 Picnic Zone, 2 people", Assert.Single(sender.Sent, m => m.MessageId == reminderId).Text);
        Assert.Single(items, i => i.Kind == SmsKind.Reminder);
        Assert.DoesNotContain(await ListAsync(app, $"reservationCode={cancelled.Code}"), i => i.Kind == SmsKind.Reminder);
        Assert.Equal(0, sender.SentCount(ReminderScheduler.MessageIdFor(cancelled.Code.Replace("-", ""))));
    }

    [Fact]
    public async Task Reminders_OnADayWithoutFestival_QueueNothing()
    {
        var (app, _) = await StartAsync();
        await using var _app = app;

        Assert.Equal(0, await app.Services.GetRequiredService<ReminderScheduler>().QueueTodaysRemindersAsync(CancellationToken.None));
    }
}
