using FestivalReservations.Core.Lotteries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FestivalReservations.Functions.Staff;

/// <summary>
/// Every minute, on every instance: each lottery whose draw time has come is drawn, once (the draw's
/// transactions decide between instances), and a draw that stopped halfway is finished.
/// </summary>
public sealed class RunDueDraws(LotteryDraw draw, ILogger<RunDueDraws> logger)
{
    public const string Schedule = "0 * * * * *";

    [Function(nameof(RunDueDraws))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var drawn = await draw.DrawDueAsync(cancellationToken);
        if (drawn > 0)
        {
            logger.LogInformation("Drew {Count} lotteries", drawn);
        }
    }
}
