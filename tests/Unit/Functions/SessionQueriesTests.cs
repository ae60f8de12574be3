using FestivalReservations.Tests.Unit.Support;

namespace FestivalReservations.Tests.Unit.Functions;

public sealed class SessionQueriesTests : IDisposable
{
    private readonly VisitorApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task GetSession_Known_200WithLiveSeats()
    {
        _api.SetCounter(s => s with { Reserved = 4 });

        var response = await _api.GetSessionAsync(TestCatalog.SundayParade);

        Assert.Equal(200, response.Status);
        var body = response.Json;
        Assert.Equal("open", body.GetProperty("status").GetString());
        Assert.Equal(6, body.GetProperty("remaining").GetInt32());
        Assert.Equal("2024-09-02T10:00:00+09:00", body.GetProperty("bookingOpensAt").GetString());
        Assert.Equal("2024-09-08T15:00:00+09:00", body.GetProperty("bookingClosesAt").GetString());
        Assert.Equal("art", body.GetProperty("program").GetProperty("theme").GetString());
    }

    [Fact]
    public async Task GetSession_Unknown_NotFound()
    {
        ProblemAssert.Problem(await _api.GetSessionAsync("mask-parade.20240908.1600"), 404, "not-found");
    }

    [Theory]
    [InlineData("?date=2024-9-8", "date")]
    [InlineData("?theme=music", "theme")]
    public async Task ListPrograms_BadFilter_ValidationFailed(string query, string field)
    {
        ProblemAssert.ValidationFailed(await _api.ListProgramsAsync(query), field);
    }

    [Fact]
    public async Task ListPrograms_DateAndTheme_OnlyMatchingSessions()
    {
        var response = await _api.ListProgramsAsync("?date=2024-09-07&theme=art");

        Assert.Equal(200, response.Status);
        var program = Assert.Single(response.Json.EnumerateArray());
        Assert.Equal("mask-parade", program.GetProperty("programId").GetString());
        var session = Assert.Single(program.GetProperty("sessions").EnumerateArray());
        Assert.Equal("mask-parade.20240907.1500", session.GetProperty("sessionId").GetString());
    }
}
