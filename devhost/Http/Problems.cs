namespace FestivalReservations.DevHost.Http;

/// <summary>The problem+json responses devhost itself writes (401, 404, 500), shaped like the app's own.</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string code)
    {
        context.Response.Clear();
        var problem = Results.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });
        return problem.ExecuteAsync(context);
    }

    public static Task UnauthorizedAsync(HttpContext context, string detail) =>
        WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail, "unauthorized");

    public static Task InternalErrorAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error", "An unexpected error occurred.", "internal-error");
}
