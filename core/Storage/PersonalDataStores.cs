using FestivalReservations.Core.Privacy;

namespace FestivalReservations.Core.Storage;

/// <summary>The Codes table's part of an erasure: the phone hash each code's row names (<see cref="CodeDirectory.ForgetHoldersAsync"/>).</summary>
public sealed class CodesPersonalData(CodeDirectory codes) : IPersonalDataHolder
{
    public const string Kind = "code-phone-hashes";

    public async Task<IReadOnlyList<ErasedRows>> EraseSessionAsync(SessionErasure session, CancellationToken cancellationToken) =>
        [new ErasedRows(Kind, await codes.ForgetHoldersAsync(session.Codes, cancellationToken))];
}

/// <summary>The SmsLog table's part of an erasure: the (masked) recipient of every message of the session's reservations.</summary>
public sealed class SmsLogPersonalData(SmsLogStore smsLog) : IPersonalDataHolder
{
    public const string Kind = "sms-log";

    public async Task<IReadOnlyList<ErasedRows>> EraseSessionAsync(SessionErasure session, CancellationToken cancellationToken)
    {
        var rows = 0;
        foreach (var code in session.Codes)
        {
            rows += await smsLog.ForgetRecipientsAsync(code, cancellationToken);
        }

        return [new ErasedRows(Kind, rows)];
    }
}

/// <summary>Stored first answers of idempotent requests (they hold the visitor's name): deleted once their 24 hours are over.</summary>
public sealed class IdempotencyPersonalData(IdempotencyStore store) : IExpiringPersonalData
{
    public const string Kind = "idempotent-answers";

    public async Task<ErasedRows> EraseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        new(Kind, await store.DeleteCreatedBeforeAsync(now - IdempotencyStore.KeptFor, cancellationToken));
}
