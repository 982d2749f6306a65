namespace Recipes.Tests.Support;

/// <summary>The canary tests' broken release: recipes/service whose /version answers every second request with 500.</summary>
internal static class BrokenVersionEndpoint
{
    private const string Healthy = "app.MapGet(\"/version\", () => Results.Ok(new { version }));";
    private const string Broken = "var calls = 0;\napp.MapGet(\"/version\", () => Interlocked.Increment(ref calls) % 2 == 0 ? Results.StatusCode(500) : Results.Ok(new { version }));";

    /// <summary>Rewrites the sample's /version in <paramref name="repo"/> (not committed).</summary>
    public static void WriteInto(SampleRepository repo)
    {
        var program = Path.Combine(repo.Repository, "src", "Acme.Shop.Api", "Program.cs");
        var text = File.ReadAllText(program);
        text.ShouldContain(Healthy);
        File.WriteAllText(program, text.Replace(Healthy, Broken, StringComparison.Ordinal));
    }
}
