using FestivalReservations.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The worker's ASP.NET Core integration would consume X-Forwarded-For into RemoteIpAddress, taking
// entries off the header that RateLimits:TrustedProxyHops counts: the app reads the header itself
// (ClientLimits), as devhost passes it, so the same rule holds in both.
builder.Services.PostConfigure<ForwardedHeadersOptions>(o => o.ForwardedHeaders &= ~ForwardedHeaders.XForwardedFor);
builder.Services.AddFestivalReservations(builder.Configuration);
// The invocation spans continue the host's trace (host.json telemetryMode: OpenTelemetry).
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Build().Run();
