using FestivalReservations.Core.Abuse;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>
/// The shared rows of the address budgets in memory, as AddressBudgetLedger keeps them in storage:
/// Granted per key, action and window, never past the budget. Several SharedAddressBudgets over one
/// ledger are several instances.
/// </summary>
public sealed class InMemoryBudgetLedger : IAddressBudgetLedger
{
    private readonly Dictionary<(LimitedAction, string, long), int> _granted = [];

    public int Claims { get; private set; }

    public Task<int?> ClaimAsync(BudgetClaim claim, CancellationToken cancellationToken)
    {
        lock (_granted)
        {
            Claims++;
            var key = (claim.Action, claim.Key, claim.WindowIndex);
            var granted = _granted.GetValueOrDefault(key);
            var take = AddressBudgetRule.Chunk(claim.Budget, granted);
            _granted[key] = granted + take;
            return Task.FromResult<int?>(take);
        }
    }

    /// <summary>A limiter whose shared budget is kept here, on <paramref name="clock"/> (a fixed moment unless given).</summary>
    public ClientRateLimiter Limiter(RateLimitOptions options, TimeProvider? clock = null) =>
        new(Options.Create(options), new SharedAddressBudget(this, clock ?? new FakeTimeProvider(DateTimeOffset.Parse("2024-09-08T04:00:00Z")), Options.Create(options)));
}
