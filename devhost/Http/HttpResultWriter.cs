using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace FestivalReservations.DevHost.Http;

/// <summary>Turns what an HTTP function returned into the response, as ConfigureFunctionsWebApplication does.</summary>
public static class HttpResultWriter
{
    public static Task WriteAsync(HttpContext context, object? result) => result switch
    {
        // void / Task: the function wrote the response itself (or it stays 200, empty).
        null => Task.CompletedTask,
        IActionResult action => action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())),
        IResult minimal => minimal.ExecuteAsync(context),
        // A plain object is serialized like an OkObjectResult.
        _ => new ObjectResult(result).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())),
    };
}
