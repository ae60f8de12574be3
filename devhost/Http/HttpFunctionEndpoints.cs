using FestivalReservations.DevHost.Invocation;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.DevHost.Http;

/// <summary>Maps every HTTP trigger onto an ASP.NET Core endpoint with its route template, methods and auth level.</summary>
public static class HttpFunctionEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        foreach (var function in catalog.Functions.Where(f => f.Trigger.TriggerKind == TriggerKind.Http))
        {
            var template = catalog.Host.RouteTemplate(function.Trigger, function.Name);
            var handler = CreateHandler(function);
            var builder = function.Trigger.Methods.Count == 0
                ? endpoints.Map(template, handler)
                : endpoints.MapMethods(template, function.Trigger.Methods, handler);
            builder.WithName(function.Name).WithDisplayName($"{function.Name} ({function.Definition.EntryPoint})");
        }
    }

    public static RequestDelegate CreateHandler(FunctionEntry function) => context => HandleAsync(context, function);

    private static async Task HandleAsync(HttpContext context, FunctionEntry function)
    {
        context.RequestServices.GetRequiredService<RequestCounter>().Served();
        var authorizer = context.RequestServices.GetRequiredService<FunctionKeyAuthorizer>();
        if (!authorizer.IsAuthorized(context.Request, function.Trigger.AuthLevel))
        {
            await Problems.UnauthorizedAsync(context, authorizer.RefusalDetail(context.Request));
            return;
        }

        await InvokeAsync(context, function, () => FunctionExecutor.InvokeAsync(function, new FunctionCall
        {
            Services = context.RequestServices,
            HttpContext = context,
            CancellationToken = context.RequestAborted,
        }));
    }

    /// <summary>Runs an invocation for a request: its result becomes the response; an exception a logged 500 problem.</summary>
    public static async Task InvokeAsync(HttpContext context, FunctionEntry function, Func<Task<object?>> invoke)
    {
        try
        {
            var result = await invoke();
            await HttpResultWriter.WriteAsync(context, result);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("FestivalReservations.DevHost.Functions");
            logger.LogError(ex, "Function {FunctionName} failed on {Method} {Path}", function.Name, context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            await Problems.InternalErrorAsync(context);
        }
    }
}
