using System.Text.Json;

namespace FestivalReservations.Tests.Unit.Support;

public static class ProblemAssert
{
    /// <summary>An RFC 9457 problem with the contract's status and code; returns the body.</summary>
    public static JsonElement Problem(ApiResponse response, int status, string code)
    {
        Assert.True(status == response.Status, $"expected {status} {code}, got {response.Status}: {response.Body}");
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        var body = response.Json;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        Assert.EndsWith(code, body.GetProperty("type").GetString(), StringComparison.Ordinal);
        return body;
    }

    /// <summary>A 400 validation-failed naming <paramref name="field"/> in errors.</summary>
    public static void ValidationFailed(ApiResponse response, string field)
    {
        var body = Problem(response, 400, "validation-failed");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages),
            $"expected errors.{field}, got {body.GetProperty("errors")}");
        Assert.NotEqual(0, messages.GetArrayLength());
    }
}
