using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Core.Storage;

namespace FestivalReservations.Tests.Integration;

[Collection(AzuriteCollection.Name)]
public sealed class IdempotencyStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Claim_PendingLeftByADeadRequest_TakenOverAfterTimeout()
    {
        var programId = TestCatalog.UniqueProgramId("idem");
        await using var app = await CoreHarness.StartAsync(azurite.ConnectionString, TestCatalog.Create($"fest-{programId}", TestCatalog.Program(programId, 5)));
        var store = app.Get<IdempotencyStore>();
        var key = IdempotencyStore.HashKey("test", Guid.NewGuid().ToString());

        Assert.IsType<IdempotencyClaim.Claimed>(await store.ClaimAsync(key, "body-a", CancellationToken.None));
        Assert.IsType<IdempotencyClaim.InProgress>(await store.ClaimAsync(key, "body-a", CancellationToken.None));
        Assert.IsType<IdempotencyClaim.Mismatch>(await store.ClaimAsync(key, "body-b", CancellationToken.None));

        app.Clock.Advance(IdempotencyStore.PendingTimeout + TimeSpan.FromSeconds(1));
        var retaken = await store.ClaimAsync(key, "body-a", CancellationToken.None);
        Assert.IsType<IdempotencyClaim.Claimed>(retaken);

        await store.CompleteAsync((IdempotencyClaim.Claimed)retaken, "{\"done\":true}", CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var replay = Assert.IsType<IdempotencyClaim.Replay>(await store.ClaimAsync(key, "body-a", CancellationToken.None));
        Assert.Equal("{\"done\":true}", replay.Response);
    }
}
