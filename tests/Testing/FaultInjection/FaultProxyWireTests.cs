using System.Diagnostics;
using System.Net;
using FestivalReservations.Testing;
using FestivalReservations.Testing.FaultInjection;

namespace FestivalReservations.Tests.Testing.FaultInjection;

/// <summary>How the proxy reads and relays HTTP/1.1 that Azurite seldom sends: chunks, 100-continue, interim answers, bodies that run to the close.</summary>
public sealed class FaultProxyWireTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task ChunkedResponses_AreRelayedWhole_OnOneKeptAliveConnection()
    {
        const string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
        await using var server = new ScriptedServer((chunked, false), (chunked, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        using var http = Client(proxy);

        Assert.Equal("hello world", await http.GetStringAsync("/a"));
        Assert.Equal("hello world", await http.GetStringAsync("/b"));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task ExpectContinue_TheProxyAnswersIt_AndForwardsTheBodyWithoutTheExpectation()
    {
        await using var server = new ScriptedServer((Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        // The client would send its body anyway after this long: a quick answer shows the proxy said 100 Continue.
        using var http = Client(proxy, expectContinueTimeout: TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/devstoreaccount1/Codes") { Content = new StringContent("{\"a\":1}") };
        request.Headers.ExpectContinue = true;
        var clock = Stopwatch.StartNew();

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed}");
        var received = Assert.Single(server.Received);
        Assert.DoesNotContain("Expect:", received, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("{\"a\":1}", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedRequest_IsForwardedAsSent_AndClassifiedFromItsDecodedBody()
    {
        await using var server = new ScriptedServer((Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        proxy.RecordRequests = true;
        using var http = Client(proxy);
        var batch = "--batch_1\r\nContent-Type: application/http\r\n\r\nPOST http://127.0.0.1/devstoreaccount1/Codes HTTP/1.1\r\n\r\n{}\r\n--batch_1--\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/devstoreaccount1/$batch") { Content = new StringContent(batch) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Transfer-Encoding: chunked", Assert.Single(server.Received), StringComparison.OrdinalIgnoreCase);
        var recorded = Assert.Single(proxy.Recorded);
        Assert.Equal(CallKind.CodeClaim, recorded.Kind);
        Assert.Equal(batch, StorageRequest.Parse(recorded.Raw).BodyText);
    }

    [Fact]
    public async Task InterimAnswerFromTheTarget_IsSkipped_TheFinalOneRelayed()
    {
        await using var server = new ScriptedServer(("HTTP/1.1 100 Continue\r\n\r\n" + Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        using var http = Client(proxy);

        Assert.Equal("ok", await http.GetStringAsync("/x"));
    }

    [Fact]
    public async Task BodyWithoutLength_IsRelayedUntilTheTargetCloses()
    {
        await using var server = new ScriptedServer(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end", true), (Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        using var http = Client(proxy);

        Assert.Equal("to the end", await http.GetStringAsync("/x"));
        Assert.Equal("ok", await http.GetStringAsync("/y")); // a new connection, upstream too
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task TargetClosesAKeptAliveConnection_TheNextRequestGoesOnANewOne()
    {
        await using var server = new ScriptedServer((Ok, true), (Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        using var http = Client(proxy);

        Assert.Equal("ok", await http.GetStringAsync("/x"));
        await Task.Delay(100); // the target's close arrives
        Assert.Equal("ok", await http.GetStringAsync("/y"));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task HeadAnd204_HaveNoBody_WhateverTheirHeadersSay()
    {
        await using var server = new ScriptedServer(
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false), ("HTTP/1.1 204 No Content\r\n\r\n", false), (Ok, false));
        await using var proxy = await FaultProxy.StartAsync(server.Port);
        using var http = Client(proxy);

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/x"));
        using var noContent = await http.DeleteAsync("/y");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, noContent.StatusCode);
        Assert.Equal("ok", await http.GetStringAsync("/z"));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task TargetDown_TheClientConnectionIsReset()
    {
        await using var proxy = await FaultProxy.StartAsync(FreePorts.Next());
        using var http = Client(proxy);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/x"));
    }

    private static HttpClient Client(FaultProxy proxy, TimeSpan? expectContinueTimeout = null) =>
        new(new SocketsHttpHandler { Expect100ContinueTimeout = expectContinueTimeout ?? TimeSpan.FromSeconds(1) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
}
