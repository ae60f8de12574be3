using System.Text;
using Azure.Storage.Queues.Models;
using FestivalReservations.DevHost.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.DevHost;

public class ParameterBindingTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public async Task Http_BindsRequestAndTypedRouteValues()
    {
        var function = SampleMetadata.Resolve(SampleMetadata.HttpFunction("Echo", "Echo", "Anonymous", "api/echo/{name:alpha}/{count:int}"));
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "GET";
        context.Request.RouteValues = new RouteValueDictionary { ["name"] = "mask", ["count"] = "3" };

        var result = await FunctionExecutor.InvokeAsync(function, new FunctionCall { Services = Services, HttpContext = context });

        var ok = Assert.IsType<OkObjectResult>(result);
        Assert.Equal(new { Name = "mask", Count = 3, Method = "GET" }.ToString(), ok.Value!.ToString());
    }

    [Fact]
    public async Task Http_AwaitsValueTaskOfT()
    {
        var function = SampleMetadata.Resolve(SampleMetadata.HttpFunction("Problem", "Problem", "Anonymous", "api/problem"));
        var context = new DefaultHttpContext { RequestServices = Services };

        var result = await FunctionExecutor.InvokeAsync(function, new FunctionCall { Services = Services, HttpContext = context });

        Assert.Equal(409, Assert.IsType<ObjectResult>(result).StatusCode);
    }

    [Fact]
    public void FunctionContext_IsRefusedAtStartWithTheFunctionName()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SampleMetadata.Resolve(SampleMetadata.HttpFunction("WithContext", "WithContext", "Anonymous", "api/ctx")));

        Assert.Contains("'WithContext'", error.Message);
        Assert.Contains("FunctionContext", error.Message);
    }

    [Fact]
    public void RouteParameterWithoutRouteToken_IsRefusedAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SampleMetadata.Resolve(SampleMetadata.HttpFunction("Echo", "Echo", "Anonymous", "api/echo/{name}")));

        Assert.Contains("'Echo'", error.Message);
        Assert.Contains("count", error.Message);
    }

    [Fact]
    public void OutputBindings_AreRefusedAtStart()
    {
        var json = SampleMetadata.QueueFunction("OnString", "OnString").Replace(
            "\"properties\": {} } ]",
            "\"properties\": {} }, { \"name\": \"out\", \"direction\": \"Out\", \"type\": \"queue\", \"queueName\": \"x\" } ]",
            StringComparison.Ordinal);

        var error = Assert.Throws<InvalidOperationException>(() => SampleMetadata.Resolve(json));

        Assert.Contains("'OnString'", error.Message);
        Assert.Contains("queue", error.Message);
    }

    [Fact]
    public void UnsupportedTriggers_AreRefusedAtStart()
    {
        var json = SampleMetadata.QueueFunction("OnBlob", "OnString").Replace("queueTrigger", "blobTrigger", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidOperationException>(() => SampleMetadata.Resolve(json));

        Assert.Contains("blobTrigger", error.Message);
    }

    [Theory]
    [InlineData("OnString")]
    [InlineData("OnPoco")]
    [InlineData("OnBytes")]
    [InlineData("OnBinary")]
    public async Task Queue_BindsTheMessageBody(string method)
    {
        var function = SampleMetadata.Resolve(SampleMetadata.QueueFunction(method, method));
        var code = Guid.NewGuid().ToString("N");
        var body = $$"""{"reservationCode":"{{code}}","attempt":2}""";
        var message = QueuesModelFactory.QueueMessage("id", "pop", BinaryData.FromString(body), 1);

        await FunctionExecutor.InvokeAsync(function, new FunctionCall { Services = Services, QueuePayload = message.Body, QueueMessage = message });

        var received = SampleQueueFunctions.Received.Where(r => r switch
        {
            string s => s.Contains(code, StringComparison.Ordinal),
            SampleMessage m => m.ReservationCode == code,
            byte[] b => Encoding.UTF8.GetString(b).Contains(code, StringComparison.Ordinal),
            BinaryData d => d.ToString().Contains(code, StringComparison.Ordinal),
            _ => false,
        }).ToList();
        var item = Assert.Single(received);
        if (item is SampleMessage poco)
        {
            Assert.Equal(2, poco.Attempt);
        }
    }

    [Fact]
    public async Task AwaitResult_HandlesTaskShapes()
    {
        Assert.Null(await FunctionExecutor.AwaitResultAsync(Task.CompletedTask));
        Assert.Null(await FunctionExecutor.AwaitResultAsync(AsyncVoid()));
        Assert.Equal(7, await FunctionExecutor.AwaitResultAsync(Task.FromResult(7)));
        Assert.Equal("v", await FunctionExecutor.AwaitResultAsync(new ValueTask<string>("v")));
        Assert.Null(await FunctionExecutor.AwaitResultAsync(ValueTask.CompletedTask));
        Assert.Equal("plain", await FunctionExecutor.AwaitResultAsync("plain"));

        static async Task AsyncVoid() => await Task.Yield();
    }
}
