namespace FestivalReservations.Core.Privacy;

/// <summary>
/// A session past retention, as the erasure run found it before erasing anything: its reservations'
/// codes and the keyed hashes of their phones (<see cref="PhoneHasher"/>), so that a store holding
/// rows by code or by phone hash can find its own. Both stay known on a run that repeats after a
/// partial failure (codes are kept after erasure; hashes while the session's rows still hold phones).
/// </summary>
public sealed record SessionErasure(string SessionId, DateTimeOffset End, IReadOnlyList<string> Codes, IReadOnlyList<string> PhoneHashes);

/// <summary>What an erasure removed or blanked, by kind of row ("reservations", "sms-log"...): counted in the run's record.</summary>
public sealed record ErasedRows(string Kind, int Rows);

/// <summary>
/// A store that keeps personal data of a session's visitors outside the session's partition (codes'
/// phone hashes, SMS log, and whatever later features add: lottery entries, tickets, abuse counters
/// by phone and session). Register it with <c>services.AddSingleton&lt;IPersonalDataHolder, T&gt;()</c>:
/// the erasure run calls every holder for every session past retention, before the session's own
/// rows are erased. It must be idempotent (a run may repeat it after a failure) and keep counts and
/// statuses, removing names, phone numbers in any form, phone hashes and free text.
/// </summary>
public interface IPersonalDataHolder
{
    Task<IReadOnlyList<ErasedRows>> EraseSessionAsync(SessionErasure session, CancellationToken cancellationToken);
}

/// <summary>
/// A store whose personal data expires by age, not by session (stored idempotent answers after 24
/// hours; per-phone, per-day counters once their day is over). Register it with
/// <c>services.AddSingleton&lt;IExpiringPersonalData, T&gt;()</c>: the erasure run calls each once per
/// run with the run's time; it deletes what has outlived its purpose and says how many rows.
/// </summary>
public interface IExpiringPersonalData
{
    Task<ErasedRows> EraseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
