using System.Diagnostics;
using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Reservations;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Tests.Hardening.Faults;

/// <summary>
/// What a fault run must leave behind, read straight from the tables (not through the app):
/// every reservation a visitor was told about (201) is stored, the counter equals the stored
/// seats and never exceeds capacity, one phone holds one reservation, and every stored confirmed
/// reservation got exactly one confirmed SMS (counted where the SMS went: the sender, the Twilio
/// stand-in, the log) with its SmsLog row sent and no outbox row left behind.
/// </summary>
public sealed class FaultLedger(string connectionString, string sessionId, int capacity)
{
    private readonly TableServiceClient _tables = new(connectionString);

    /// <summary>The stored confirmed reservations, once every one of them has its SMS recorded as sent and no outbox row is left.</summary>
    public async Task<IReadOnlyList<Reservation>> WaitUntilSettledAsync(
        Func<Reservation, int> sendsOf, TimeSpan timeout, Func<Task>? nudge = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (reservations, outbox, _) = await ReadSessionAsync();
            var confirmed = reservations.Where(r => r.Status == ReservationStatus.Confirmed).ToList();
            var waiting = confirmed.Count(r => sendsOf(r) == 0);
            var log = await SmsLogAsync();
            var sent = log.Where(e => e.Kind == SmsKind.Confirmed && e.Status == SmsStatus.Sent)
                .Select(e => e.ReservationCode).ToHashSet(StringComparer.Ordinal);
            var unrecorded = confirmed.Where(r => !sent.Contains(Raw(r.Code))).ToList();
            if (waiting == 0 && outbox == 0 && unrecorded.Count == 0)
            {
                return confirmed;
            }

            Assert.True(clock.Elapsed < timeout,
                $"After {timeout.TotalSeconds:0} s, {waiting} of {confirmed.Count} confirmed reservations have no SMS, {unrecorded.Count} no SmsLog row marked sent " +
                $"({string.Join(", ", unrecorded.Select(r => $"{r.Code}: {string.Join("/", log.Where(e => e.ReservationCode == Raw(r.Code)).Select(e => $"{e.Kind} {e.Status}").DefaultIfEmpty("no row"))}"))}), " +
                $"and {outbox} outbox row(s) remain.");
            if (nudge is not null)
            {
                await nudge();
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Asserts the whole ledger against what the clients were told.</summary>
    public async Task AssertConsistentAsync(IReadOnlyCollection<LoadOutcome> outcomes, Func<Reservation, int> sendsOf)
    {
        var (reservations, outbox, reserved) = await ReadSessionAsync();
        var byCode = reservations.ToDictionary(r => Raw(r.Code), StringComparer.Ordinal);

        var told = outcomes.Where(o => o.Status == 201).ToList();
        var lost = told.Where(o => !byCode.TryGetValue(Raw(o.Code!), out var r) || r.Status != ReservationStatus.Confirmed).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} visitors told 'confirmed' are not stored as confirmed: {string.Join(", ", lost)}");

        var confirmed = reservations.Where(r => r.Status == ReservationStatus.Confirmed).ToList();
        var seats = confirmed.Sum(r => r.PartySize);
        Assert.True(reserved == seats, $"counter {reserved} ≠ stored confirmed seats {seats}");
        Assert.True(seats <= capacity, $"oversold: {seats} seats of {capacity}");
        Assert.Equal(confirmed.Count, confirmed.Select(r => r.Phone).Distinct().Count());
        Assert.Equal(0, outbox);

        var wrongSends = confirmed.Where(r => sendsOf(r) != 1).Select(r => $"{r.Code}: {sendsOf(r)}").ToList();
        Assert.True(wrongSends.Count == 0, $"confirmed SMS sent other than once: {string.Join(", ", wrongSends)}");

        var log = await SmsLogAsync();
        foreach (var r in confirmed)
        {
            var rows = log.Where(e => e.ReservationCode == Raw(r.Code) && e.Kind == SmsKind.Confirmed).ToList();
            Assert.True(rows.Count == 1, $"{r.Code} has {rows.Count} confirmed SmsLog rows");
            Assert.Equal(SmsStatus.Sent, rows[0].Status);
        }
    }

    /// <summary>
    /// What visitors who retry with their Idempotency-Key must have been told, whatever the network
    /// did: every 201 is stored as confirmed and findable by its code (its Codes row names the
    /// session); every stored reservation was answered 201, with its code, to its own visitor (nobody
    /// was told "duplicate" or "full" for their own booking); a visitor's 201s all carry one code;
    /// nothing is oversold and the counter equals the rows; exactly one confirmed SMS per stored
    /// reservation and none to anyone else; no 500, and only answers a client can act on.
    /// </summary>
    public async Task AssertToldTheTruthAsync(IReadOnlyList<Visitor> visitors, Func<string, int> confirmedSmsTo)
    {
        var (reservations, outbox, reserved) = await ReadSessionAsync();
        var confirmed = reservations.Where(r => r.Status == ReservationStatus.Confirmed).ToList();
        var seats = confirmed.Sum(r => r.PartySize);
        Assert.True(reserved == seats, $"counter and allotments {reserved} ≠ stored confirmed seats {seats}");
        Assert.True(seats <= capacity, $"oversold: {seats} seats of {capacity}");
        Assert.Equal(reservations.Count, reservations.Select(r => r.Phone).Distinct().Count());
        Assert.Equal(0, outbox);

        var unexpected = visitors.SelectMany(v => v.Answers.Select(a => (v, a))).Where(x => !(
            x.a.Status == 201
            || (x.a.Status == 409 && x.a.ProblemCode == "session-full")
            || (x.a.Status == 503 && x.a.ProblemCode == "storage-unavailable" && x.a.HasRetryAfter)
            || x.a.Status == 0)).Select(x => $"{x.v.Phone}: {x.a}").ToList();
        Assert.True(unexpected.Count == 0, $"answers a client cannot act on (or a 500): {string.Join("; ", unexpected.Take(20))}");

        var codes = _tables.GetTableClient("Codes");
        var byCode = reservations.ToDictionary(r => Raw(r.Code), StringComparer.Ordinal);
        foreach (var visitor in visitors)
        {
            var told = visitor.Answers.Where(a => a.Status == 201).Select(a => Raw(a.Code!)).Distinct().ToList();
            Assert.True(told.Count <= 1, $"{visitor.Phone} was told two codes: {string.Join(", ", told)}");
            foreach (var code in told)
            {
                Assert.True(byCode.TryGetValue(code, out var r) && r.Status == ReservationStatus.Confirmed, $"{visitor.Phone} was told {code}, which is not stored as confirmed");
                var row = await codes.GetEntityIfExistsAsync<TableEntity>(code[..ReservationCode.ShelfLength], code);
                Assert.True(row.HasValue && row.Value!.GetString("SessionId") == sessionId, $"{code} has no Codes row naming {sessionId}");
            }
        }

        var byPhone = visitors.ToDictionary(v => E164(v.Phone));
        foreach (var r in reservations)
        {
            Assert.True(byPhone.TryGetValue(r.Phone, out var visitor), $"{r.Code} belongs to no visitor of this run");
            Assert.True(visitor!.Answers.Any(a => a.Status == 201 && Raw(a.Code!) == Raw(r.Code)),
                $"{r.Code} is stored but its visitor was told {string.Join(", ", visitor.Answers)}");
        }

        var stored = reservations.Select(r => r.Phone).ToHashSet(StringComparer.Ordinal);
        var wrong = visitors.Select(v => (Phone: E164(v.Phone), Sends: confirmedSmsTo(E164(v.Phone))))
            .Where(x => x.Sends != (stored.Contains(x.Phone) ? 1 : 0)).Select(x => $"{x.Phone}: {x.Sends}").ToList();
        Assert.True(wrong.Count == 0, $"confirmed SMS other than one per stored reservation: {string.Join(", ", wrong.Take(20))}");
    }

    /// <summary>Outbox rows still in the session: SMS committed but not yet on the queue.</summary>
    public async Task<int> OutboxCountAsync() => (await ReadSessionAsync()).Outbox;

    /// <summary>The session's reservations, outbox rows, and seats taken as staff see them (counter and allotments).</summary>
    private async Task<(List<Reservation> Reservations, int Outbox, int Reserved)> ReadSessionAsync()
    {
        var reservations = new List<Reservation>();
        var outbox = 0;
        var all = new List<TableEntity>();
        await foreach (var row in _tables.GetTableClient("Sessions").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {sessionId}")))
        {
            all.Add(row);
            if (SessionEntities.IsReservationRow(row))
            {
                reservations.Add(SessionEntities.ToReservation(row));
            }
            else if (row.RowKey.StartsWith(SessionRows.OutboxPrefix, StringComparison.Ordinal))
            {
                outbox++;
            }
        }

        return (reservations, outbox, SessionEntities.Settled(all).Reserved);
    }

    private async Task<List<(string ReservationCode, string Kind, string Status)>> SmsLogAsync()
    {
        var rows = new List<(string, string, string)>();
        await foreach (var row in _tables.GetTableClient("SmsLog").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"SessionId eq {sessionId}")))
        {
            rows.Add((row.GetString("ReservationCode"), row.GetString("Kind"), row.GetString("Status")));
        }

        return rows;
    }

    private static string E164(string phone) =>
        FestivalReservations.Core.Phones.KoreanMobile.TryParse(phone, out var mobile) ? mobile.E164 : phone;

    public static string Raw(string code) => code.Replace("-", "", StringComparison.Ordinal);
}
