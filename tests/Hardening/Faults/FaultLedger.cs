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
            var (reservations, outbox) = await ReadSessionAsync();
            var confirmed = reservations.Where(r => r.Status == ReservationStatus.Confirmed).ToList();
            var waiting = confirmed.Count(r => sendsOf(r) == 0);
            var sent = (await SmsLogAsync()).Where(e => e.Kind == SmsKind.Confirmed && e.Status == SmsStatus.Sent)
                .Select(e => e.ReservationCode).ToHashSet(StringComparer.Ordinal);
            var unrecorded = confirmed.Count(r => !sent.Contains(Raw(r.Code)));
            if (waiting == 0 && outbox == 0 && unrecorded == 0)
            {
                return confirmed;
            }

            Assert.True(clock.Elapsed < timeout,
                $"After {timeout.TotalSeconds:0} s, {waiting} of {confirmed.Count} confirmed reservations have no SMS, {unrecorded} no SmsLog row marked sent, and {outbox} outbox row(s) remain.");
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
        var (reservations, outbox) = await ReadSessionAsync();
        var byCode = reservations.ToDictionary(r => Raw(r.Code), StringComparer.Ordinal);
        var counter = await _tables.GetTableClient("Sessions").GetEntityAsync<TableEntity>(sessionId, SessionRows.Counter);
        var reserved = counter.Value.GetInt32("Reserved") ?? -1;

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

    /// <summary>Outbox rows still in the session: SMS committed but not yet on the queue.</summary>
    public async Task<int> OutboxCountAsync() => (await ReadSessionAsync()).Outbox;

    private async Task<(List<Reservation> Reservations, int Outbox)> ReadSessionAsync()
    {
        var reservations = new List<Reservation>();
        var outbox = 0;
        await foreach (var row in _tables.GetTableClient("Sessions").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {sessionId}")))
        {
            if (row.RowKey.StartsWith(SessionRows.ReservationPrefix, StringComparison.Ordinal))
            {
                reservations.Add(SessionEntities.ToReservation(row));
            }
            else if (row.RowKey.StartsWith(SessionRows.OutboxPrefix, StringComparison.Ordinal))
            {
                outbox++;
            }
        }

        return (reservations, outbox);
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

    public static string Raw(string code) => code.Replace("-", "", StringComparison.Ordinal);
}
