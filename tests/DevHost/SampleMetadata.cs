using FestivalReservations.DevHost.Invocation;
using FestivalReservations.DevHost.Metadata;

namespace FestivalReservations.Tests.DevHost;

/// <summary>A functions.metadata, as the Worker SDK would write it, for the sample functions of the tests.</summary>
public static class SampleMetadata
{
    private const string Http = "FestivalReservations.Tests.DevHost.SampleHttpFunctions";
    private const string Queue = "FestivalReservations.Tests.DevHost.SampleQueueFunctions";
    private const string Timer = "FestivalReservations.Tests.DevHost.SampleTimerFunctions";

    public const string HostJson = """{ "version": "2.0", "extensions": { "http": { "routePrefix": "" }, "queues": { "maxDequeueCount": 5 } } }""";

    public static string HttpFunction(string name, string method, string authLevel, string route, string verbs = "\"get\"") => $$"""
        {
          "name": "{{name}}", "scriptFile": "FestivalReservations.Tests.dll", "entryPoint": "{{Http}}.{{method}}",
          "language": "dotnet-isolated", "properties": { "IsCodeless": false },
          "bindings": [
            { "name": "request", "direction": "In", "type": "httpTrigger", "authLevel": "{{authLevel}}", "methods": [ {{verbs}} ], "route": "{{route}}", "properties": {} },
            { "name": "$return", "type": "http", "direction": "Out" }
          ]
        }
        """;

    public static string QueueFunction(string name, string method, string queueName = "samples") => $$"""
        {
          "name": "{{name}}", "scriptFile": "FestivalReservations.Tests.dll", "entryPoint": "{{Queue}}.{{method}}",
          "bindings": [ { "name": "message", "direction": "In", "type": "queueTrigger", "dataType": "String", "queueName": "{{queueName}}", "connection": "AzureWebJobsStorage", "properties": {} } ]
        }
        """;

    public static string TimerFunction(string name, string schedule) => $$"""
        {
          "name": "{{name}}", "scriptFile": "FestivalReservations.Tests.dll", "entryPoint": "{{Timer}}.Tick",
          "bindings": [ { "name": "timer", "direction": "In", "type": "timerTrigger", "schedule": "{{schedule}}", "runOnStartup": false, "properties": {} } ]
        }
        """;

    /// <summary>Every sample that devhost can run (WithContext is left out: it must be refused).</summary>
    public static string All => "[" + string.Join(",",
        HttpFunction("Echo", "Echo", "Anonymous", "api/echo/{name:alpha}/{count:int}"),
        HttpFunction("Secret", "Secret", "Function", "api/secret", "\"get\", \"post\""),
        HttpFunction("Minimal", "Minimal", "Anonymous", "api/minimal"),
        HttpFunction("Problem", "Problem", "Anonymous", "api/problem"),
        HttpFunction("Boom", "Boom", "Anonymous", "api/boom"),
        QueueFunction("OnString", "OnString"),
        QueueFunction("OnPoco", "OnPoco"),
        TimerFunction("Tick", "%TickSchedule%")) + "]";

    public static FunctionEntry Resolve(string functionJson) =>
        FunctionCatalog.Resolve(FunctionMetadataReader.Parse("[" + functionJson + "]")[0]);
}
