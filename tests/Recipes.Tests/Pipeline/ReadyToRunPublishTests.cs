using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Support;
using Recipes.Versioning;

namespace Recipes.Tests.Pipeline;

/// <summary>How Package publishes a deployable: with and without the ready-to-run setting, and an app that sets PublishAot.</summary>
public sealed class ReadyToRunPublishTests
{
    private static readonly BuildVersion Version = new("1.2.1-ci.5", "1.2.0.0", "1.2.1.0", "1.2.1-ci.5+abc", "abc", "main", false, DateTimeOffset.UnixEpoch);

    [Fact]
    public void By_default_a_deployable_is_published_from_compiles_output_for_any_platform()
    {
        var publish = Package.PublishSettings(new RecipeSettings(), Version, "/out");

        (publish.NoBuild, publish.NoRestore, publish.Runtime).ShouldBe((true, true, null));
        publish.MSBuildSettings.Properties.ShouldNotContainKey("PublishReadyToRun");
    }

    [Fact]
    public void Ready_to_run_builds_the_deployable_again_for_this_machines_portable_runtime_framework_dependent()
    {
        var settings = RecipeSettingsResolver.Resolve(new RecipeSettings(), Path.GetTempPath(), new Dictionary<string, string> { ["ready-to-run"] = "true" },
            Recipes.Hosting.Internal.EnvironmentVariables.From(new Dictionary<string, string>())).Settings;

        var publish = Package.PublishSettings(settings, Version, "/out");

        (publish.NoBuild, publish.NoRestore, publish.SelfContained).ShouldBe((false, false, (bool?)false));
        publish.Runtime.ShouldBe(Package.PortableRuntimeIdentifier());
        publish.Runtime.ShouldMatch("^(linux|linux-musl|osx|win)-(x64|arm64|x86|arm)$");
        publish.MSBuildSettings.Properties["PublishReadyToRun"].ShouldBe(["true"]);
        publish.MSBuildSettings.Version.ShouldBe("1.2.1-ci.5", "the same version as Compile's build");
    }

    [Fact]
    public void A_native_aot_app_is_built_again_for_this_machines_portable_runtime_whatever_ready_to_run_says()
    {
        using var path = new TempDirectory("recipes-path");
        File.WriteAllText(path.Combine("gcc"), "");

        var publish = Package.PublishSettings(new RecipeSettings(), Version, "/out", nativeAot: true, path: path.Path);

        (publish.NoBuild, publish.NoRestore).ShouldBe((false, false), "the native code is compiled at publish, for one platform");
        publish.Runtime.ShouldBe(Package.PortableRuntimeIdentifier());
        publish.SelfContained.ShouldBeNull("PublishAot makes it self-contained by itself");
        publish.MSBuildSettings.Properties.ShouldNotContainKey("PublishReadyToRun");
        publish.MSBuildSettings.Properties[Package.NativeLinkerProperty].ShouldBe(["gcc"], "no clang on this PATH, but gcc: it links");
    }

    [Fact]
    public void A_native_aot_app_links_with_the_compilers_default_where_clang_is_and_with_the_teams_choice_where_it_is_set()
    {
        using var path = new TempDirectory("recipes-path");
        File.WriteAllText(path.Combine("gcc"), "");
        File.WriteAllText(path.Combine("clang"), "");
        var own = new RecipeSettings();
        own.MSBuildProperties[Package.NativeLinkerProperty] = "lld";

        Package.PublishSettings(new RecipeSettings(), Version, "/out", nativeAot: true, path: path.Path).MSBuildSettings.Properties.ShouldNotContainKey(Package.NativeLinkerProperty);
        File.Delete(path.Combine("clang"));
        Package.PublishSettings(own, Version, "/out", nativeAot: true, path: path.Path).MSBuildSettings.Properties[Package.NativeLinkerProperty].ShouldBe(["lld"], "msbuild-properties decides");
    }
}
