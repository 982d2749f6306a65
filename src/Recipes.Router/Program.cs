using Yarp.ReverseProxy;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Recipes.Router;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

// dotnet Recipes.Router.dll --port 5080 --admin-port 5081 --state <dir>
// Port 0 picks a free port; the ports actually bound are written to <state>/router.json once both listen.
if (RouterOptions.Parse(args) is not { } options)
{
    return 2;
}

Directory.CreateDirectory(options.StateDirectory);
var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
RouterFiles.WritePrivate(Path.Combine(options.StateDirectory, RouterFiles.TokenFile), token);

var metrics = new TrafficMetrics();
var inFlight = new InFlightRequests();
using var mirror = new RequestMirror(metrics);
var routes = new RouteTable(options.StateDirectory);

// The public port: every request goes through YARP to the destinations of the route in force.
var proxyBuilder = WebApplication.CreateSlimBuilder();
proxyBuilder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
RouterLogging.QuietFailedStart(proxyBuilder.Logging);
proxyBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
proxyBuilder.Services.AddSingleton<ILoadBalancingPolicy, WeightedLoadBalancingPolicy>();
proxyBuilder.Services.AddReverseProxy().LoadFromMemory(RouteTable.Empty.Routes, RouteTable.Empty.Clusters);
var proxy = proxyBuilder.Build();
routes.Attach(proxy.Services.GetRequiredService<InMemoryConfigProvider>(), proxy.Services.GetRequiredService<IProxyStateLookup>(), proxy.Logger);
proxy.MapReverseProxy(pipeline =>
{
    pipeline.Use(new DestinationPin(token).InvokeAsync);
    pipeline.Use(async (context, next) =>
    {
        var mirrorTarget = routes.Active?.Mirror;
        var copy = mirror.Start(context.Request, mirrorTarget);
        var started = Stopwatch.GetTimestamp();
        await next();
        var destination = context.GetReverseProxyFeature().ProxiedDestination?.DestinationId ?? "(none)";
        metrics.RecordResponse(destination, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        if (copy is not null)
        {
            mirror.Compare(copy, mirrorTarget!.Name, context.Response.StatusCode);
        }
    });
    pipeline.UseSessionAffinity();
    pipeline.UseLoadBalancing();
    pipeline.Use(inFlight.InvokeAsync);
    pipeline.UsePassiveHealthChecks();
});
proxy.MapFallback(() => Results.Text("No route is configured yet; PUT /config on the router's admin port.\n", statusCode: 503));

// The admin port: loopback only, and every call but /health needs the token from <state>/admin-token.
var adminBuilder = WebApplication.CreateSlimBuilder();
adminBuilder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
RouterLogging.QuietFailedStart(adminBuilder.Logging);
adminBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.AdminPort));
var admin = adminBuilder.Build();
var expectedAuthorization = Encoding.UTF8.GetBytes("Bearer " + token);
admin.Use(async (context, next) =>
{
    var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
    if (context.Request.Path != "/health" && !CryptographicOperations.FixedTimeEquals(given, expectedAuthorization))
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsJsonAsync(new { error = $"Send 'Authorization: Bearer <token>' with the token from {Path.Combine(options.StateDirectory, RouterFiles.TokenFile)}." });
        return;
    }

    await next();
});
admin.MapGet("/health", () => Results.Json(new { status = "ok", pid = Environment.ProcessId, version = routes.Active?.Version ?? 0 }));
admin.MapGet("/config", () => routes.Active is { } active ? Results.Json(active) : Results.NotFound(new { error = "No route is configured yet; PUT /config first." }));
admin.MapGet("/metrics", () => Results.Json(metrics.Snapshot()));
admin.MapGet("/metrics/prometheus", () => Results.Text(PrometheusText.Write(metrics.Totals()), PrometheusText.ContentType));
admin.MapPut("/config", async (HttpContext context) =>
{
    const string Shape = "{ \"destinations\": [ ... ], \"mirror\": null }";
    var (document, unreadable) = await ReadJsonAsync<RouteDocument>(context, "The route config", Shape);
    var error = unreadable ?? (document is null ? $"The route config is empty; send {Shape}." : document.Validate());
    return error is not null ? Results.BadRequest(new { error }) : Results.Json(routes.Apply(document!));
});

// Before its release is stopped: waits until no request is on its way to a destination the route no longer sends to.
admin.MapPost("/drain", async (HttpContext context) =>
{
    var (drain, unreadable) = await ReadJsonAsync<DrainRequest>(context, "The drain request", "{ \"destination\": \"<name>\", \"timeoutMs\": 10000 }");
    drain ??= new DrainRequest(null, 0);
    if ((unreadable ?? drain.Validate()) is { } invalid)
    {
        return Results.BadRequest(new { error = invalid });
    }

    return drain.StillRouted(routes.Active) is { } routed
        ? Results.Conflict(new { error = routed })
        : Results.Json(await inFlight.DrainAsync(drain.Destination!, TimeSpan.FromMilliseconds(drain.TimeoutMs), context.RequestAborted));
});

// Both at once: a router restarted after a crash serves again sooner.
var listening = await Task.WhenAll(ListenAsync(proxy, options.Port, "public"), ListenAsync(admin, options.AdminPort, "admin"));
if (listening.FirstOrDefault(failed => failed is not null) is { } failure)
{
    Console.Error.WriteLine(failure);
    return 3;
}

RouterFiles.WritePrivate(
    Path.Combine(options.StateDirectory, RouterFiles.InfoFile),
    JsonSerializer.Serialize(
        new { pid = Environment.ProcessId, port = BoundPort(proxy), adminPort = BoundPort(admin) },
        JsonSerializerOptions.Web));
Console.WriteLine($"Router listening on http://127.0.0.1:{BoundPort(proxy)} (admin http://127.0.0.1:{BoundPort(admin)}), state {options.StateDirectory}");

await Task.WhenAny(proxy.WaitForShutdownAsync(), admin.WaitForShutdownAsync());
await admin.StopAsync();
await proxy.StopAsync();
return 0;

// An admin request's JSON body, or why it could not be read (what was sent, and the shape to send).
static async Task<(T? Body, string? Error)> ReadJsonAsync<T>(HttpContext context, string what, string shape)
{
    try
    {
        return (await JsonSerializer.DeserializeAsync<T>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted), null);
    }
    catch (JsonException e)
    {
        return (default, $"{what} is not valid JSON ({e.Message}); send {shape}.");
    }
}

// A port taken by another program is reported in one line, naming the program when /proc shows it.
static async Task<string?> ListenAsync(WebApplication app, int port, string which)
{
    try
    {
        await app.StartAsync();
        return null;
    }
    catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
    {
        var holder = PortHolder.Describe(port) is { } program ? $" by {program}" : string.Empty;
        return $"Recipes.Router: the {which} port {port} on 127.0.0.1 is already in use{holder}";
    }
}

static int BoundPort(WebApplication app) =>
    new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

/// <summary>The router's command line.</summary>
internal sealed record RouterOptions(int Port, int AdminPort, string StateDirectory)
{
    public static RouterOptions? Parse(string[] args)
    {
        int? port = null, adminPort = null;
        string? state = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, out var p) && p is >= 0 and <= 65535: port = p; i++; break;
                case "--admin-port" when int.TryParse(value, out var a) && a is >= 0 and <= 65535: adminPort = a; i++; break;
                case "--state" when !string.IsNullOrWhiteSpace(value): state = Path.GetFullPath(value); i++; break;
                default:
                    Console.Error.WriteLine($"Unexpected argument '{args[i]}' (or missing value); usage: Recipes.Router --port <0-65535> --admin-port <0-65535> --state <dir>");
                    return null;
            }
        }

        if (port is null || adminPort is null || state is null)
        {
            Console.Error.WriteLine("Missing --port, --admin-port or --state; usage: Recipes.Router --port <0-65535> --admin-port <0-65535> --state <dir>");
            return null;
        }

        return new RouterOptions(port.Value, adminPort.Value, state);
    }
}

/// <summary>How the router logs.</summary>
internal static class RouterLogging
{
    /// <summary>
    /// The host and Kestrel's server category log a failed start with its stack; the router reports that failure in
    /// one line itself. Kestrel's other categories (connections, bad requests, HTTP/2) keep logging warnings.
    /// </summary>
    public static void QuietFailedStart(ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
            .AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None)
            .AddFilter("Microsoft.AspNetCore.Server.Kestrel.", LogLevel.Warning);
}

/// <summary>The files the router keeps in its state folder.</summary>
internal static class RouterFiles
{
    /// <summary>The admin token, readable by the owner only.</summary>
    public const string TokenFile = "admin-token";

    /// <summary>{ pid, port, adminPort }, written once both ports listen.</summary>
    public const string InfoFile = "router.json";

    /// <summary>Writes a file that only the current user can read, replacing any earlier one in one step.</summary>
    public static void WritePrivate(string path, string contents)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(contents);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
