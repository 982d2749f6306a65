var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Ok("healthy"));
app.MapGet("/version", () => Environment.GetEnvironmentVariable("RECIPES_TESTAPP_VERSION") ?? "unset");
app.MapGet("/secret", () => Environment.GetEnvironmentVariable("RECIPES_TESTAPP_SECRET") is { Length: > 0 } ? "present" : "missing");
app.MapGet("/environment", () => app.Environment.EnvironmentName);
app.Run();
