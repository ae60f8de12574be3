using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FestivalReservations.DevHost;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.DevHost;

/// <summary>Real loopback HTTP against devhost serving the sample functions.</summary>
public class DevHostHttpTests(SampleDevHostFixture fixture) : IClassFixture<SampleDevHostFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public void ListensOnTheLoopbackPortItWasGiven()
    {
        var address = DevHostApp.BaseAddress(fixture.App);

        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
    }

    [Fact]
    public async Task RouteValuesAreBoundAndResultsSerializedCamelCase()
    {
        var response = await _client.GetAsync("api/echo/mask/3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"name":"mask","count":3,"method":"GET"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("api/echo/mask/three")]
    [InlineData("api/echo/m4sk/3")]
    [InlineData("api/nothing")]
    public async Task RouteConstraintsDecide(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(path)).StatusCode);

    [Fact]
    public async Task OtherMethodsAreNotMapped() =>
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _client.DeleteAsync("api/echo/mask/3")).StatusCode);

    [Fact]
    public async Task FunctionLevel_WithoutKey_Is401Problem()
    {
        var response = await _client.GetAsync("api/secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unauthorized", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("unauthorized", problem.RootElement.GetProperty("code").GetString());
        Assert.True(problem.RootElement.TryGetProperty("type", out _));
        Assert.True(problem.RootElement.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task FunctionLevel_WrongKey_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/secret");
        request.Headers.Add("x-functions-key", "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task FunctionLevel_HeaderKey_Works()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/secret");
        request.Headers.Add("x-functions-key", SampleDevHostFixture.FunctionKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"secret":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionLevel_QueryKey_Works() =>
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"api/secret?code={SampleDevHostFixture.FunctionKey}")).StatusCode);

    [Fact]
    public async Task IResultIsExecuted()
    {
        var response = await _client.GetAsync("api/minimal");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"kind":"minimal"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProblemDetailsAreServedAsProblemJson()
    {
        var response = await _client.GetAsync("api/problem");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"title\":\"Nope\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhandledException_Is500ProblemWithoutDetails()
    {
        var response = await _client.GetAsync("api/boom");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("secret storage detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.Contains("\"status\":500", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminInvoke_RunsATimerFunction()
    {
        var before = SampleTimerFunctions.Fired.Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/Tick") { Content = JsonContent.Create(new { input = "" }) };
        request.Headers.Add("x-functions-key", SampleDevHostFixture.FunctionKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(SampleTimerFunctions.Fired.Count > before);
        Assert.False(SampleTimerFunctions.Fired.Last().IsPastDue);
    }

    [Fact]
    public async Task AdminInvoke_PassesInputToAQueueFunction()
    {
        var text = "hello-" + Guid.NewGuid().ToString("N");
        var response = await _client.PostAsJsonAsync($"admin/functions/OnString?code={SampleDevHostFixture.FunctionKey}", new { input = text });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(text, SampleQueueFunctions.Received);
    }

    [Fact]
    public async Task AdminInvoke_NeedsTheKey() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsync("admin/functions/Tick", null)).StatusCode);

    [Fact]
    public async Task AdminInvoke_UnknownFunctionIs404()
    {
        var response = await _client.PostAsync($"admin/functions/Nope?code={SampleDevHostFixture.FunctionKey}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InvokeTimerAsync_RunsTheTimerInProcess()
    {
        var before = SampleTimerFunctions.Fired.Count;

        await fixture.App.Services.GetRequiredService<DevHostFunctions>().InvokeTimerAsync("Tick");

        Assert.True(SampleTimerFunctions.Fired.Count > before);
    }

    [Fact]
    public async Task InvokeTimerAsync_RefusesANonTimer() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.App.Services.GetRequiredService<DevHostFunctions>().InvokeTimerAsync("Echo"));
}
