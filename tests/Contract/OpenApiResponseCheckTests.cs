using System.Net;
using System.Text;
using System.Text.Json;
using FestivalReservations.Core.Errors;
using FestivalReservations.Tests.EndToEnd.OpenApi;

namespace FestivalReservations.Tests.Contract;

/// <summary>The openapi.json check in RunningApp's clients can fail: wrong bodies, statuses and media types from a stub server are reported.</summary>
public sealed class OpenApiResponseCheckTests
{
    private const string Reservation = """
        {"code":"K7M2-QX9P","sessionId":"mask-parade.20240908.1500","programId":"mask-parade","programTitle":{"ko":"가면 행진","en":"Mask parade"},
         "start":"2024-09-08T15:00:00+09:00","status":"confirmed","partySize":2,"name":"김","phoneMasked":"010-****-5678","language":"ko",
         "createdAt":"2024-09-02T03:00:00Z","ticketUrl":"/t/K7M2QX9P1ABCD2345"}
        """;

    private sealed class Stub(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }

    private static async Task<(OpenApiCheckingHandler Check, Exception? Thrown)> LookupAsync(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        var check = new OpenApiCheckingHandler(OpenApiContract.Document, new Stub(status, body, mediaType));
        using var client = new HttpClient(check) { BaseAddress = new Uri("http://stub.test/") };
        var thrown = await Record.ExceptionAsync(() => client.PostAsync("api/reservations/K7M2-QX9P/lookup", new StringContent("{}")));
        return (check, thrown);
    }

    [Fact]
    public async Task Check_ABodyThatMeetsTheSchema_Passes()
    {
        var (check, thrown) = await LookupAsync(HttpStatusCode.OK, Reservation);

        Assert.Null(thrown);
        Assert.Empty(check.Violations);
        Assert.Equal(1, check.Exercised[("LookupReservation", 200)]);
    }

    [Fact]
    public async Task Check_AWrongType_IsReportedWithOperationStatusPathAndBody()
    {
        var (check, thrown) = await LookupAsync(HttpStatusCode.OK, Reservation.Replace("\"partySize\":2", "\"partySize\":\"two\""));

        var drift = Assert.IsType<OpenApiDriftException>(thrown);
        Assert.Contains("POST /api/reservations/{code}/lookup (LookupReservation)", drift.Message);
        Assert.Contains("→ 200 application/json", drift.Message);
        Assert.Contains("at /partySize", drift.Message);
        Assert.Contains("body starts: {\"code\":\"K7M2-QX9P\"", drift.Message);
        Assert.Equal(drift.Message, Assert.Single(check.Violations));
    }

    [Theory]
    [InlineData("\"status\":\"confirmed\"", "\"status\":\"booked\"", "/status")]
    [InlineData("\"start\":\"2024-09-08T15:00:00+09:00\"", "\"start\":\"next sunday\"", "/start")]
    [InlineData("\"ko\":\"가면 행진\",", "\"ko\":1,", "/programTitle/ko")]
    [InlineData("\"language\":\"ko\",", "\"language\":\"ko\",\"secret\":true,", "/secret")]
    [InlineData("\"programTitle\":{\"ko\":\"가면 행진\",", "\"programTitle\":{\"ko\":\"가면 행진\",\"fr\":\"x\",", "/programTitle/fr")]
    public async Task Check_ABodyOffTheSchema_IsReportedAtItsPath(string from, string to, string at)
    {
        var (_, thrown) = await LookupAsync(HttpStatusCode.OK, Reservation.Replace(from, to));

        Assert.Contains($"at {at}", Assert.IsType<OpenApiDriftException>(thrown).Message);
    }

    [Fact]
    public async Task Check_AnUndocumentedStatus_IsReported()
    {
        var (_, thrown) = await LookupAsync(HttpStatusCode.Conflict, """{"type":"t","title":"t","status":409,"detail":"d","code":"x"}""", "application/problem+json");

        Assert.Contains("does not document status 409", Assert.IsType<OpenApiDriftException>(thrown).Message);
    }

    [Fact]
    public async Task Check_AProblemWithoutItsCode_IsReported()
    {
        var (_, thrown) = await LookupAsync(HttpStatusCode.NotFound, """{"type":"t","title":"t","status":404,"detail":"d"}""", "application/problem+json");

        Assert.Contains("required", Assert.IsType<OpenApiDriftException>(thrown).Message);
    }

    [Fact]
    public async Task Check_AnUndocumentedMediaType_IsReported()
    {
        var (_, thrown) = await LookupAsync(HttpStatusCode.NotFound, """{"type":"t","title":"t","status":404,"detail":"d","code":"not-found"}""");

        Assert.Contains("not 'application/json'", Assert.IsType<OpenApiDriftException>(thrown).Message);
    }

    [Fact]
    public void Contract_FindsTemplatedPaths_LiteralSegmentsFirst()
    {
        var contract = OpenApiContract.Document;

        Assert.Equal("GetSession", contract.Find("GET", "/api/sessions/mask-parade.20240908.1500")?.OperationId);
        Assert.Equal("StaffTicketDayKeys", contract.Find("GET", "/api/staff/tickets/day-keys")?.OperationId);
        Assert.Equal("GetTicket", contract.Find("get", "/api/tickets/K7M2QX9P1ABCD2345")?.OperationId);
        Assert.Null(contract.Find("DELETE", "/api/sessions/mask-parade.20240908.1500"));
        Assert.Null(contract.Find("GET", "/api/sessions/"));
        Assert.Null(contract.Find("GET", "/api/sessions/x%00y"));
    }

    [Fact]
    public async Task Check_AnUndocumentedRouteAnswered200_IsReported()
    {
        var check = new OpenApiCheckingHandler(OpenApiContract.Document, new Stub(HttpStatusCode.OK, "{}", "application/json"));
        using var client = new HttpClient(check) { BaseAddress = new Uri("http://stub.test/") };

        var drift = await Assert.ThrowsAsync<OpenApiDriftException>(() => client.DeleteAsync("api/sessions/mask-parade.20240908.1400"));

        Assert.Contains("no operation in openapi.json matches", drift.Message);
    }

    [Fact]
    public void Document_ProblemCodes_AreExactlyTheErrorCodes()
    {
        var problem = JsonDocument.Parse(Functions.OpenApi.OpenApiDocument.Json).RootElement
            .GetProperty("components").GetProperty("schemas").GetProperty("Problem");
        var documented = problem.GetProperty("properties").GetProperty("code").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order().ToList();

        Assert.Equal(Enum.GetValues<ErrorCode>().Select(ErrorSlugs.Of).Order().ToList(), documented);
    }
}
