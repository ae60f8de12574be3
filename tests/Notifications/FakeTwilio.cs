using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FestivalReservations.Core.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Twilio.Clients;
using Twilio.Http;

namespace FestivalReservations.Tests.Notifications;

/// <summary>What the fake Messages endpoint saw: the form fields and the Basic auth user.</summary>
public sealed record TwilioCall(string Path, string? AuthUser, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A local HTTP server on 127.0.0.1 that answers like Twilio's Messages endpoint
/// (POST /2010-04-01/Accounts/{sid}/Messages.json): 201 with a SID, or whatever error the test
/// scripts. The real TwilioRestClient reaches it through <see cref="CreateClient"/>, whose
/// HttpClient rewrites requests for api.twilio.com to this server.
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000000";
    public const string AuthToken = "fake-twilio-auth-token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();
    private int _sequence;

    private FakeTwilio(WebApplication app) => _app = app;

    public ConcurrentQueue<TwilioCall> Calls { get; } = new();

    /// <summary>Decides the answer from the form (e.g. by To) when it returns one; before the script.</summary>
    public Func<IReadOnlyDictionary<string, string>, (int Status, string Body)?>? AnswerFor { get; set; }

    /// <summary>The answer when nothing is scripted: 201 with a fresh SID.</summary>
    public (int Status, string Body)? Default { get; set; }

    public Uri BaseAddress => new(_app.Urls.First());

    public static async Task<FakeTwilio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", fake.AnswerAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>The next answers, in order (then <see cref="Default"/>).</summary>
    public void Script(params (int Status, string Body)[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    public static (int, string) Error(int status, int code) =>
        (status, $$"""{"code":{{code}},"message":"The 'To' number +821012345678 is not valid.","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""");

    /// <summary>The real SDK client, talking to this server instead of api.twilio.com.</summary>
    public ITwilioRestClient CreateClient() =>
        new TwilioRestClient(AccountSid, AuthToken, httpClient: new SystemNetHttpClient(
            new System.Net.Http.HttpClient(new RedirectTwilio(BaseAddress) { InnerHandler = new SocketsHttpHandler() })
            {
                Timeout = TimeSpan.FromSeconds(10),
            }));

    public static TwilioOptions Options(string? messagingServiceSid = null, string? callback = null) => new()
    {
        AccountSid = AccountSid,
        AuthToken = AuthToken,
        From = "+15005550006",
        MessagingServiceSid = messagingServiceSid,
        StatusCallbackUrl = callback,
    };

    private async Task<IResult> AnswerAsync(HttpContext context, string sid)
    {
        var form = await context.Request.ReadFormAsync();
        string? user = null;
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.Ordinal))
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..])).Split(':')[0];
        }

        var call = new TwilioCall(context.Request.Path, user, form.ToDictionary(f => f.Key, f => f.Value.ToString()));
        Calls.Enqueue(call);
        var (status, body) = AnswerFor?.Invoke(call.Form) ?? (_script.TryDequeue(out var next) ? next : Default ?? Sent());
        return Results.Text(body, "application/json", Encoding.UTF8, status);
    }

    private (int, string) Sent()
    {
        var sid = "SM" + Interlocked.Increment(ref _sequence).ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
        return ((int)HttpStatusCode.Created, $$"""{"sid":"{{sid}}","status":"queued","account_sid":"{{AccountSid}}"}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Sends what was meant for api.twilio.com to the local server, path and query unchanged.</summary>
    private sealed class RedirectTwilio(Uri target) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Host: "api.twilio.com" } uri)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
