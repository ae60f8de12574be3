using System.Text.Json;
using FestivalReservations.Core.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FestivalReservations.Functions.Http;

/// <summary>
/// A response written straight to the HTTP response with the contract's JSON settings, so it looks
/// the same under the Functions host and under devhost.
/// </summary>
public sealed class ApiResult(int status, object? body, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public int Status { get; } = status;

    public object? Body { get; } = body;

    public string ContentType { get; } = contentType;

    public Dictionary<string, string> Headers { get; } = [];

    public ApiResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.Headers.XContentTypeOptions = "nosniff";
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (Body is null)
        {
            return;
        }

        response.ContentType = ContentType;
        if (Body is string text)
        {
            await response.WriteAsync(text, context.HttpContext.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), JsonPolicies.Contract, context.HttpContext.RequestAborted);
    }

    public static ApiResult Ok(object body) => new(StatusCodes.Status200OK, body);
}
