// A release for deployment tests. Per-version behaviour comes from appsettings.json inside the package, so a test
// packs "versions" of one build: AppVersion names it (header X-App-Version on every answer), FailEvery=N makes every
// Nth request outside /health answer 500 (a bad release for a canary to catch), Unhealthy=true makes /health answer
// 503 (a release that never becomes healthy). GET /slow?ms=N sends its headers at once and its body after N ms, unless
// the app stops first: then the connection is cut, as a long poll or a stream is when its server goes away.
// /files/{name} writes and reads files by relative path; /write-release tries to write into the app's own folder.
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
app.MapGet("/health", () => unhealthy ? Results.StatusCode(503) : Results.Text("healthy"));
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

// Files by relative path land in the working directory: the environment's data folder once deployed.
app.MapPut("/files/{name}", async (string name, HttpRequest request) =>
{
    using var body = new StreamReader(request.Body);
    await File.WriteAllTextAsync(name, await body.ReadToEndAsync());
    return Results.Text(Path.GetFullPath(name));
});
app.MapGet("/files/{name}", (string name) => File.Exists(name) ? Results.Text(File.ReadAllText(name)) : Results.NotFound());

// Tries to write into the app's own (release) folder, which a deployment keeps read-only even for root: answers 200
// with what refused the write, or 500 naming the file it could write (and deleted again).
app.MapPost("/write-release", () =>
{
    var path = Path.Combine(AppContext.BaseDirectory, "written-by-the-app.txt");
    try
    {
        File.WriteAllText(path, "the release folder is writable");
        File.Delete(path);
        return Results.Text($"wrote {path}", statusCode: 500);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return Results.Text(e.Message);
    }
});
app.Run();
