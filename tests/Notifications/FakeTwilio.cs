using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
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

/// <summary>A message the fake Twilio has: it was created, whether or not its creator heard back.</summary>
public sealed record TwilioMessage(string Sid, string To, string? From, string? MessagingServiceSid, string Body, DateTimeOffset DateCreated);

/// <summary>How a create call goes wrong on the network, after or before Twilio created the message.</summary>
public enum TwilioFault
{
    /// <summary>Twilio creates the message, then the connection drops before the reply (a lost reply).</summary>
    CommitThenDropReply,

    /// <summary>Twilio creates the message, then answers 500 (an outcome the sender cannot know).</summary>
    CommitThenAnswer500,

    /// <summary>The connection drops before Twilio does anything.</summary>
    DropWithoutCommitting,
}

/// <summary>
/// A local HTTP server on 127.0.0.1 that answers like Twilio's Messages endpoint:
/// POST /2010-04-01/Accounts/{sid}/Messages.json creates a message (201 with a SID), or answers
/// whatever error the test scripts, or goes wrong as a <see cref="TwilioFault"/>;
/// GET of the same path lists the messages it has, filtered by To, From and DateSent (=, &lt;=, &gt;=),
/// newest first, as Twilio's list does. The real TwilioRestClient reaches it through
/// <see cref="CreateClient"/>, whose HttpClient rewrites requests for api.twilio.com to this server.
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

    /// <summary>Every message created, in order (a dropped reply included).</summary>
    public ConcurrentQueue<TwilioMessage> Messages { get; } = new();

    /// <summary>The query string of every list call.</summary>
    public ConcurrentQueue<string> Lookups { get; } = new();

    /// <summary>Decides a fault from the form (e.g. by To) when it returns one; before any answer.</summary>
    public Func<IReadOnlyDictionary<string, string>, TwilioFault?>? FaultFor { get; set; }

    /// <summary>Decides the answer from the form (e.g. by To) when it returns one; before the script.</summary>
    public Func<IReadOnlyDictionary<string, string>, (int Status, string Body)?>? AnswerFor { get; set; }

    /// <summary>Answers a list call from its query when it returns one (e.g. a 500), instead of listing.</summary>
    public Func<IQueryCollection, (int Status, string Body)?>? LookupAnswerFor { get; set; }

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
        app.MapGet("/2010-04-01/Accounts/{sid}/Messages.json", fake.List);
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

    public IReadOnlyList<TwilioMessage> MessagesTo(string to) => Messages.Where(m => m.To == to).ToList();

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
        switch (FaultFor?.Invoke(call.Form))
        {
            case TwilioFault.CommitThenDropReply:
                Commit(call.Form);
                context.Abort();
                return Results.Empty;
            case TwilioFault.CommitThenAnswer500:
                Commit(call.Form);
                return Results.Text("", "application/json", Encoding.UTF8, 500);
            case TwilioFault.DropWithoutCommitting:
                context.Abort();
                return Results.Empty;
        }

        var (status, body) = AnswerFor?.Invoke(call.Form) ?? (_script.TryDequeue(out var next) ? next : Default ?? Created(call.Form));
        return Results.Text(body, "application/json", Encoding.UTF8, status);
    }

    private (int, string) Created(IReadOnlyDictionary<string, string> form) =>
        ((int)HttpStatusCode.Created, JsonSerializer.Serialize(Resource(Commit(form))));

    private TwilioMessage Commit(IReadOnlyDictionary<string, string> form)
    {
        var sid = "SM" + Interlocked.Increment(ref _sequence).ToString("D32", CultureInfo.InvariantCulture);
        var message = new TwilioMessage(sid, form["To"], form.GetValueOrDefault("From"), form.GetValueOrDefault("MessagingServiceSid"),
            form.GetValueOrDefault("Body") ?? "", DateTimeOffset.UtcNow);
        Messages.Enqueue(message);
        return message;
    }

    private IResult List(HttpContext context)
    {
        var query = context.Request.Query;
        Lookups.Enqueue(context.Request.QueryString.Value ?? "");
        if (LookupAnswerFor?.Invoke(query) is var (status, body))
        {
            return Results.Text(body, "application/json", Encoding.UTF8, status);
        }

        IEnumerable<TwilioMessage> found = Messages;
        if (query["To"] is { Count: > 0 } to)
        {
            found = found.Where(m => m.To == to.ToString());
        }

        if (query["From"] is { Count: > 0 } from)
        {
            found = found.Where(m => m.From == from.ToString());
        }

        // DateSent>=x arrives as the key "DateSent>" with the value x; a date alone compares whole days.
        foreach (var (key, compare) in new (string, Func<int, bool>)[] { ("DateSent", c => c == 0), ("DateSent>", c => c >= 0), ("DateSent<", c => c <= 0) })
        {
            if (query[key] is { Count: > 0 } value)
            {
                var (bound, wholeDays) = ParseDate(value.ToString());
                found = found.Where(m => compare(wholeDays ? m.DateCreated.UtcDateTime.Date.CompareTo(bound.UtcDateTime.Date) : m.DateCreated.CompareTo(bound)));
            }
        }

        var pageSize = int.TryParse(query["PageSize"], CultureInfo.InvariantCulture, out var size) ? size : 50;
        var page = found.OrderByDescending(m => m.DateCreated).Take(pageSize).Select(Resource).ToList();
        var uri = context.Request.Path + context.Request.QueryString;
        return Results.Json(new Dictionary<string, object?>
        {
            ["messages"] = page,
            ["page"] = 0,
            ["page_size"] = pageSize,
            ["start"] = 0,
            ["end"] = Math.Max(0, page.Count - 1),
            ["uri"] = uri,
            ["first_page_uri"] = uri,
            ["next_page_uri"] = null,
            ["previous_page_uri"] = null,
        });
    }

    private static (DateTimeOffset Bound, bool WholeDays) ParseDate(string text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day)
            ? (day, true)
            : (DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), false);

    private static Dictionary<string, object?> Resource(TwilioMessage m) => new()
    {
        ["sid"] = m.Sid,
        ["account_sid"] = AccountSid,
        ["to"] = m.To,
        ["from"] = m.From,
        ["messaging_service_sid"] = m.MessagingServiceSid,
        ["body"] = m.Body,
        ["status"] = "queued",
        ["direction"] = "outbound-api",
        ["num_segments"] = "1",
        ["date_created"] = Rfc2822(m.DateCreated),
        ["date_updated"] = Rfc2822(m.DateCreated),
        ["date_sent"] = Rfc2822(m.DateCreated),
        ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{m.Sid}.json",
    };

    private static string Rfc2822(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

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
