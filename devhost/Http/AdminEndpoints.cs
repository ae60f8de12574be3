using System.Text.Json;
using FestivalReservations.Core.Reservations.Commit;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost.Http;

/// <summary>
/// POST /admin/functions/{name} with body {"input": "..."}: runs a timer or queue function now,
/// as the real Functions host does; Admin level (the function key). devhost answers 202 after the
/// function has finished (the real host answers at once), 500 problem if it threw.
/// GET /admin/metrics (Admin level, devhost only): the commit counters and the HTTP function calls
/// served, for the benchmark.
/// </summary>
public static class AdminEndpoints
{
    public const string Route = "admin/functions/{name}";

    public const string MetricsRoute = "admin/metrics";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, (RequestDelegate)InvokeAsync).WithName("DevHostAdminInvoke");
        endpoints.MapGet(MetricsRoute, (RequestDelegate)MetricsAsync).WithName("DevHostAdminMetrics");
    }

    private static async Task MetricsAsync(HttpContext context)
    {
        var authorizer = context.RequestServices.GetRequiredService<FunctionKeyAuthorizer>();
        if (!authorizer.IsAuthorized(context.Request, "Admin"))
        {
            await Problems.UnauthorizedAsync(context, authorizer.RefusalDetail(context.Request));
            return;
        }

        var metrics = context.RequestServices.GetRequiredService<CommitMetrics>();
        await context.Response.WriteAsJsonAsync(new
        {
            committed = metrics.CommittedTotal,
            conflicts = metrics.ConflictTotal,
            transactions = metrics.TransactionTotal,
            operations = metrics.OperationTotal,
            largestTransaction = metrics.LargestTransaction,
            allotmentMoves = metrics.AllotmentMoveTotal,
            stages = metrics.Stages,
            requests = context.RequestServices.GetRequiredService<RequestCounter>().Total,
        }, context.RequestAborted);
    }

    private static async Task InvokeAsync(HttpContext context)
    {
        var authorizer = context.RequestServices.GetRequiredService<FunctionKeyAuthorizer>();
        if (!authorizer.IsAuthorized(context.Request, "Admin"))
        {
            await Problems.UnauthorizedAsync(context, authorizer.RefusalDetail(context.Request));
            return;
        }

        var functions = context.RequestServices.GetRequiredService<DevHostFunctions>();
        var name = context.GetRouteValue("name") as string ?? string.Empty;
        var function = functions.Find(name);
        if (function is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found", $"No function named '{name}'.", "not-found");
            return;
        }

        if (function.Trigger.TriggerKind == TriggerKind.Http)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Request", $"'{function.Name}' is an HTTP function: call its route.", "validation-failed");
            return;
        }

        string? input = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("input", out var value))
                {
                    input = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                }
            }
            catch (JsonException)
            {
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Request", "The body must be JSON like {\"input\": \"...\"}.", "validation-failed");
                return;
            }
        }

        await HttpFunctionEndpoints.InvokeAsync(context, function, async () =>
        {
            await functions.InvokeAsync(function.Name, input, context.RequestAborted);
            return Results.Accepted();
        });
    }
}
