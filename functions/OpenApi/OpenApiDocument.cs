using System.Reflection;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FestivalReservations.Functions.OpenApi;

/// <summary>Serves the OpenAPI 3.1 description of every route (openapi.json, embedded; a test keeps it equal to functions.metadata).</summary>
public sealed class OpenApiDocument
{
    private static readonly Lazy<string> Document = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("FestivalReservations.Functions.OpenApi.openapi.json")!;
        return new StreamReader(stream).ReadToEnd();
    });

    public static string Json => Document.Value;

    [Function(nameof(OpenApiDocument))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        new ApiResult(StatusCodes.Status200OK, Json).WithHeader("Cache-Control", "public, max-age=300");
}
