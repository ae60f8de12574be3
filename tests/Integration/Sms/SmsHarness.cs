using Azure.Data.Tables;
using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Storage;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.Integration.Sms;

/// <summary>
/// The core services of one app over Azurite with a recording SMS sender, a session of its own and,
/// when given, a table client whose network loses replies: for sending one queue message by hand
/// (no queue, no devhost) and reading SmsLog.
/// </summary>
public sealed class SmsHarness : IAsyncDisposable
{
    private SmsHarness(CoreHarness core, string sessionId, RecordingSmsSender sender)
    {
        Core = core;
        SessionId = sessionId;
        Sender = sender;
    }

    public CoreHarness Core { get; }

    public string SessionId { get; }

    public RecordingSmsSender Sender { get; }

    public SmsSendService Sms => Core.Get<SmsSendService>();

    public SmsLogStore Log => Core.Get<SmsLogStore>();

    public static async Task<SmsHarness> StartAsync(string connectionString, string name, TableServiceClient? tables = null)
    {
        var programId = TestCatalog.UniqueProgramId(name);
        var sender = new RecordingSmsSender();
        var core = await CoreHarness.StartAsync(connectionString, TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, 40)),
            services: s =>
            {
                s.AddSingleton<ISmsSender>(sender);
                if (tables is not null)
                {
                    s.AddSingleton(tables);
                }
            });
        return new SmsHarness(core, TestCatalog.SessionId(programId), sender);
    }

    /// <summary>Books one seat and returns the SMS request of a new message id for it (not queued).</summary>
    public async Task<OutboxMessage> BookAsync(int visitor, string kind = SmsKind.Confirmed)
    {
        var result = await Core.Reservations.ReserveAsync(SessionId, CoreHarness.Request(visitor), null, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        var code = result.Value.Reservation.Code.Replace("-", "", StringComparison.Ordinal);
        return OutboxMessage.For(SessionId, code, kind, Core.Clock.GetUtcNow());
    }

    public ValueTask DisposeAsync() => Core.DisposeAsync();
}
