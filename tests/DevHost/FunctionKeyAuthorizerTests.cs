using FestivalReservations.DevHost.Http;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Tests.DevHost;

public class FunctionKeyAuthorizerTests
{
    private readonly FunctionKeyAuthorizer _authorizer = new("s3cret-key");

    [Theory]
    [InlineData("Anonymous")]
    [InlineData("anonymous")]
    public void Anonymous_IsOpen(string level) =>
        Assert.True(new FunctionKeyAuthorizer(null).IsAuthorized(Request(), level));

    [Theory]
    [InlineData("Function")]
    [InlineData("Admin")]
    public void MissingKey_IsRefused(string level) => Assert.False(_authorizer.IsAuthorized(Request(), level));

    [Fact]
    public void HeaderKey_Works() => Assert.True(_authorizer.IsAuthorized(Request(header: "s3cret-key"), "Function"));

    [Fact]
    public void QueryKey_Works() => Assert.True(_authorizer.IsAuthorized(Request(query: "?code=s3cret-key"), "Admin"));

    [Theory]
    [InlineData("wrong")]
    [InlineData("s3cret-key ")]
    [InlineData("S3CRET-KEY")]
    public void WrongKey_IsRefused(string key)
    {
        Assert.False(_authorizer.IsAuthorized(Request(header: key), "Function"));
        Assert.Equal("The function key is not valid.", _authorizer.RefusalDetail(Request(header: key)));
    }

    [Fact]
    public void NoConfiguredKey_RefusesFunctionLevelEvenWithAKey()
    {
        var authorizer = new FunctionKeyAuthorizer("");

        Assert.False(authorizer.HasKey);
        Assert.False(authorizer.IsAuthorized(Request(header: ""), "Function"));
        Assert.False(authorizer.IsAuthorized(Request(query: "?code=anything"), "Function"));
        Assert.Contains("DevHost:FunctionKey", authorizer.RefusalDetail(Request()));
    }

    private static HttpRequest Request(string? header = null, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        if (header is not null)
        {
            context.Request.Headers[FunctionKeyAuthorizer.HeaderName] = header;
        }

        return context.Request;
    }
}
