using System.Reflection;
using Acme.Shop.Api;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

var version = typeof(Greetings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

app.MapGet("/health", () => Results.Ok(new { status = "Healthy" }));
app.MapGet("/version", () => Results.Ok(new { version }));
// Configuration reloads, so the toggle changes without a restart ("deploy is not release").
app.MapGet("/greeting/{name}", (string name, IConfiguration configuration) =>
    Results.Ok(new { greeting = Greetings.For(name, configuration.GetValue<bool>("FeatureManagement:LoudGreeting")) }));

app.Run();
