// A release for deployment tests. Per-version behaviour comes from appsettings.json inside the package, so a test
// packs "versions" of one build: AppVersion names it (header X-App-Version on every answer), FailEvery=N makes every
// Nth request outside /health answer 500 (a bad release for a canary to catch), Unhealthy=true makes /health answer
// 503 (a release that never becomes healthy). GET /slow?ms=N sends its headers at once and its body after N ms, unless
// the app stops first: then the connection is cut, as a long poll or a stream is when its server goes away.
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
var appVersion = app.Configuration["AppVersion"];
var failEvery = app.Configuration.GetValue<int>("FailEvery");
var unhealthy = app.Configuration.GetValue<bool>("Unhealthy");
var requests = 0L;
app.Use(async (context, next) =>
{
    if (appVersion is not null)
    {
        context.Response.Headers["X-App-Version"] = appVersion;
    }

    if (failEvery > 0 && context.Request.Path != "/health" && Interlocked.Increment(ref requests) % failEvery == 0)
    {
        context.Response.StatusCode = 500;
        return;
    }

    await next();
});
app.MapGet("/health", () => unhealthy ? Results.StatusCode(503) : Results.Ok("healthy"));
app.MapGet("/version", () => appVersion ?? Environment.GetEnvironmentVariable("RECIPES_TESTAPP_VERSION") ?? "unset");
app.MapGet("/secret", () => Environment.GetEnvironmentVariable("RECIPES_TESTAPP_SECRET") is { Length: > 0 } ? "present" : "missing");
app.MapGet("/environment", () => app.Environment.EnvironmentName);
app.MapGet("/slow", async (HttpContext context) =>
{
    var milliseconds = int.Parse(context.Request.Query["ms"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
    await context.Response.StartAsync();
    try
    {
        await Task.Delay(milliseconds, app.Lifetime.ApplicationStopping);
    }
    catch (OperationCanceledException)
    {
        context.Abort();
        return;
    }

    await context.Response.WriteAsync($"answered after {milliseconds} ms");
});
app.Run();
