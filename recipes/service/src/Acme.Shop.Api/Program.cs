using System.Reflection;
using Acme.Shop.Api;
using Microsoft.FeatureManagement;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddFeaturesFile(Environment.GetEnvironmentVariable(FeaturesFile.Variable));
UserTargeting.AddFeatureToggles(builder.Services);
// An anonymous request has no targeting context, so percentage releases leave it out; that is by design here, and
// the targeting filter's warning about it would otherwise repeat on every such request.
builder.Logging.AddFilter("Microsoft.FeatureManagement.FeatureFilters.TargetingFilter", LogLevel.Error);
var app = builder.Build();

var version = typeof(Greetings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

// Set as the headers go out, so error responses carry it too: a load generator tells which release answered any request.
app.Use((context, next) =>
{
    context.Response.OnStarting(() =>
    {
        context.Response.Headers["X-App-Version"] = version;
        return Task.CompletedTask;
    });
    return next(context);
});

app.MapGet("/health", () => Results.Ok(new { status = "Healthy" }));
app.MapGet("/version", () => Results.Ok(new { version }));
// Asked per request: the features file reloads, so a release changes the answer without a restart ("deploy is not release");
// a percentage release answers per user (X-User-Id or the signed-in user), the same every time for the same user.
app.MapGet("/greeting/{name}", async (string name, IFeatureManager features) =>
    Results.Ok(new { greeting = await Greetings.ForAsync(name, features) }));

// Kept in the environment's data folder, so the count survives deployments and rollbacks.
var visits = VisitCounter.ForDataFolder(Environment.GetEnvironmentVariable(VisitCounter.DataFolderVariable));
app.MapPost("/visits", async () => Results.Ok(new { visits = await visits.IncrementAsync() }));
app.MapGet("/visits", () => Results.Ok(new { visits = visits.Read() }));

app.Run();
