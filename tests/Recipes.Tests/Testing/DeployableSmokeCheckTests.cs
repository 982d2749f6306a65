using Recipes.Artifacts;
using Recipes.Testing;
using Recipes.Tests.Support;

namespace Recipes.Tests.Testing;

/// <summary>The smoke check of a deployable app: the entry assembly its deployment runs must be in the package.</summary>
public sealed class DeployableSmokeCheckTests : IDisposable
{
    private static readonly ArtifactEntry Api = new("Acme.Api", "1.0.0", "deployable", "Acme.Api.1.0.0.nupkg", "ab");
    private readonly TempDirectory _temp = new("recipes-deployable-smoke");

    public void Dispose() => _temp.Dispose();

    private PublishedPackageSmokeCheck Check => new("the feed", _temp.Combine("packages"), _temp.Combine("checked"), _temp.Combine("smoke"), []);

    private string App => _temp.Combine("packages", "acme.api", "1.0.0", "app");

    [Fact]
    public void An_app_with_its_entry_assembly_and_runtimeconfig_passes_and_says_it_is_not_loaded_here()
    {
        Directory.CreateDirectory(App);
        File.WriteAllText(Path.Combine(App, "Acme.Api.dll"), "not loaded");
        File.WriteAllText(Path.Combine(App, "Acme.Api.runtimeconfig.json"), "{}");

        Check.Check(Api).ShouldBe("Acme.Api 1.0.0 (deployable): entry assembly Acme.Api.dll present with its runtimeconfig; not loaded here, its deployment starts it");
    }

    [Fact]
    public void An_app_without_the_entry_assembly_its_deployment_runs_fails_with_one_line()
    {
        Directory.CreateDirectory(App);
        File.WriteAllText(Path.Combine(App, "Acme.Api.dll"), "no runtimeconfig beside it");

        Should.Throw<RecipeException>(() => Check.Check(Api)).Message
            .ShouldBe("Smoke check failed for Acme.Api 1.0.0 (deployable): Acme.Api 1.0.0 has no Acme.Api.dll with Acme.Api.runtimeconfig.json, not exactly one *.runtimeconfig.json (found none) and no native executable Acme.Api; publish the app framework-dependent or Native AOT under its package id");
        Directory.Delete(App, recursive: true);
        Should.Throw<RecipeException>(() => Check.Check(Api)).Message
            .ShouldBe("Smoke check failed for Acme.Api 1.0.0 (deployable): it has no app/ folder; pack the app with the Package stage");
    }
}
