using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.Tests.DevHost;

public class MetadataTests
{
    private const string Metadata = """
        [
          { "name": "Reserve", "scriptFile": "FestivalReservations.Functions.dll",
            "entryPoint": "FestivalReservations.Functions.Visitors.Reserve.Run", "language": "dotnet-isolated",
            "bindings": [
              { "name": "request", "direction": "In", "type": "httpTrigger", "authLevel": "Function",
                "methods": [ "post", "put" ], "route": "api/sessions/{sessionId}/reservations", "properties": {} },
              { "name": "$return", "type": "http", "direction": "Out" } ] },
          { "name": "SendSms", "scriptFile": "FestivalReservations.Functions.dll",
            "entryPoint": "FestivalReservations.Functions.Sms.SendSms.Run",
            "bindings": [ { "name": "message", "direction": "In", "type": "queueTrigger", "queueName": "sms", "connection": "Storage", "properties": {} } ] },
          { "name": "Sweep", "scriptFile": "FestivalReservations.Functions.dll",
            "entryPoint": "FestivalReservations.Functions.Sms.Sweep.Run",
            "bindings": [ { "name": "timer", "direction": "In", "type": "timerTrigger", "schedule": "0 */1 * * * *", "runOnStartup": true } ] }
        ]
        """;

    [Fact]
    public void Parse_ReadsHttpQueueAndTimerBindings()
    {
        var functions = FunctionMetadataReader.Parse(Metadata);

        Assert.Equal(["Reserve", "SendSms", "Sweep"], functions.Select(f => f.Name));
        var http = functions[0].Trigger;
        Assert.Equal(TriggerKind.Http, http.TriggerKind);
        Assert.Equal("Function", http.AuthLevel);
        Assert.Equal(["POST", "PUT"], http.Methods);
        Assert.Equal("api/sessions/{sessionId}/reservations", http.Route);
        Assert.Equal("FestivalReservations.Functions.Visitors.Reserve", functions[0].TypeName);
        Assert.Equal("Run", functions[0].MethodName);
        Assert.True(functions[0].Bindings[1].IsHttpReturn);

        var queue = functions[1].Trigger;
        Assert.Equal(TriggerKind.Queue, queue.TriggerKind);
        Assert.Equal("sms", queue.QueueName);
        Assert.Equal("Storage", queue.Connection);

        var timer = functions[2].Trigger;
        Assert.Equal(TriggerKind.Timer, timer.TriggerKind);
        Assert.Equal("0 */1 * * * *", timer.Schedule);
        Assert.True(timer.RunOnStartup);
    }

    [Fact]
    public void Parse_RejectsANonArray() =>
        Assert.Throws<InvalidDataException>(() => FunctionMetadataReader.Parse("""{ "name": "x" }"""));

    [Fact]
    public void HostSettings_ReadsRoutePrefixAndMaxDequeueCount()
    {
        var host = HostSettings.Parse("""{ "extensions": { "http": { "routePrefix": "" }, "queues": { "maxDequeueCount": 3 } } }""");

        Assert.Equal(string.Empty, host.RoutePrefix);
        Assert.Equal(3, host.MaxDequeueCount);
    }

    [Fact]
    public void HostSettings_DefaultsAreThoseOfFunctions()
    {
        var host = HostSettings.Parse("""{ "version": "2.0" }""");

        Assert.Equal("api", host.RoutePrefix);
        Assert.Equal(5, host.MaxDequeueCount);
        Assert.Equal(TimeSpan.Zero, host.VisibilityTimeout);
    }

    [Fact]
    public void HostSettings_ReadsTheQueuesVisibilityTimeout()
    {
        var host = HostSettings.Parse("""{ "extensions": { "queues": { "visibilityTimeout": "00:01:30" } } }""");

        Assert.Equal(TimeSpan.FromSeconds(90), host.VisibilityTimeout);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("30")]
    [InlineData("\"-00:00:01\"")]
    public void HostSettings_VisibilityTimeoutThatIsNotADuration_IsRefused(string value)
    {
        var error = Assert.Throws<InvalidDataException>(() => HostSettings.Parse($$"""{ "extensions": { "queues": { "visibilityTimeout": {{value}} } } }"""));

        Assert.Contains("visibilityTimeout", error.Message);
    }

    [Theory]
    [InlineData("", "api/health", "api/health")]
    [InlineData("api", "health", "api/health")]
    [InlineData("api", null, "api/Health")]
    [InlineData("", null, "Health")]
    public void RouteTemplate_JoinsPrefixAndRoute(string prefix, string? route, string expected)
    {
        var host = new HostSettings { RoutePrefix = prefix };
        var trigger = new BindingDefinition { Name = "request", Type = "httpTrigger", Route = route };

        Assert.Equal(expected, host.RouteTemplate(trigger, "Health"));
    }

    [Fact]
    public void TheFunctionsBuildMetadataIsCopiedNextToDevhost()
    {
        // Copied by devhost.csproj's target (and flowed on to the test output).
        var functions = FunctionMetadataReader.ReadFile(Path.Combine(AppContext.BaseDirectory, FunctionMetadataReader.FileName));

        Assert.Contains(functions, f => f.Name == "Health" && f.Trigger.Route == "api/health");
    }
}
