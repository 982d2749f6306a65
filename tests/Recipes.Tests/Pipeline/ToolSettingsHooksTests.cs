using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Pack;
using Cake.Common.Tools.DotNet.Publish;
using Cake.Common.Tools.DotNet.Test;
using Recipes.Hosting.Internal;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// Configure&lt;TSettings&gt; on the recipe: a team changes one dotnet call of a stage, after the recipe's own settings,
/// without replacing the stage. The stages' use of it is shown on a real build in EndToEnd/SettingsHooksBuildTests.
/// </summary>
public sealed class ToolSettingsHooksTests
{
    private const string Library = "/repo/src/Acme.Greeter/Acme.Greeter.csproj";

    [Fact]
    public void A_hook_runs_after_the_recipes_settings_and_can_override_them()
    {
        var recipe = new RecipeSettings()
            .Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.WithProperty("PackageProjectUrl", "https://acme.example"))
            .Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.Properties["PackageVersion"] = ["9.9.9-team"]);

        var settings = recipe.ToolHooks.Apply("Package", Library, RecipesPackSettings());

        settings.MSBuildSettings.Properties["PackageProjectUrl"].ShouldBe(["https://acme.example"]);
        settings.MSBuildSettings.Properties["PackageVersion"].ShouldBe(["9.9.9-team"], "the hook's value, set after the recipe's");
        settings.NoBuild.ShouldBeTrue("what the hook leaves alone stays the recipe's");
    }

    [Fact]
    public void Hooks_run_in_the_order_they_were_added()
    {
        var recipe = new RecipeSettings()
            .Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.Properties["PackageVersion"] = ["1.0.0-first"])
            .Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.Properties["PackageVersion"] = [pack.MSBuildSettings.Properties["PackageVersion"].Single() + ".then-second"]);

        recipe.ToolHooks.Apply("Package", Library, RecipesPackSettings()).MSBuildSettings.Properties["PackageVersion"].ShouldBe(["1.0.0-first.then-second"]);
    }

    [Fact]
    public void A_hook_reaches_only_calls_of_its_settings_type_and_the_base_type_reaches_all()
    {
        var seen = new List<string>();
        var recipe = new RecipeSettings()
            .Configure<DotNetPublishSettings>(publish => seen.Add("publish"))
            .Configure<DotNetSettings>(any => any.Verbosity = DotNetVerbosity.Detailed);

        var pack = recipe.ToolHooks.Apply("Package", Library, RecipesPackSettings());
        var test = recipe.ToolHooks.Apply("FastTests", "/repo/tests/Acme.Tests/Acme.Tests.csproj", new DotNetTestSettings());

        seen.ShouldBeEmpty("no publish call was made");
        pack.Verbosity.ShouldBe(DotNetVerbosity.Detailed);
        test.Verbosity.ShouldBe(DotNetVerbosity.Detailed);
    }

    [Fact]
    public void A_hook_that_takes_the_call_can_change_one_stage_only()
    {
        var recipe = new RecipeSettings().Configure<DotNetTestSettings>((test, call) =>
        {
            if (call.Task == "SlowTests")
            {
                test.Loggers.Add($"html;LogFileName={Path.GetFileNameWithoutExtension(call.Project)}.html");
            }
        });

        var fast = recipe.ToolHooks.Apply("FastTests", "/repo/tests/Acme.Tests/Acme.Tests.csproj", new DotNetTestSettings { Loggers = ["trx"] });
        var slow = recipe.ToolHooks.Apply("SlowTests", "/repo/tests/Acme.Smoke/Acme.Smoke.csproj", new DotNetTestSettings { Loggers = ["trx"] });

        fast.Loggers.ShouldBe(["trx"]);
        slow.Loggers.ShouldBe(["trx", "html;LogFileName=Acme.Smoke.html"]);
    }

    [Fact]
    public void The_settings_in_force_carry_the_codes_hooks_and_adding_to_them_leaves_the_code_alone()
    {
        using var root = new TempDirectory("recipes-hooks");
        var code = new RecipeSettings().Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.WithProperty("FromCode", "1"));

        var resolved = RecipeSettingsResolver.Resolve(code, root.Path, new Dictionary<string, string>(), EnvironmentVariables.From(new Dictionary<string, string>())).Settings;
        resolved.Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.WithProperty("Later", "1"));

        resolved.ToolHooks.Apply("Package", Library, RecipesPackSettings()).MSBuildSettings.Properties.Keys.ShouldBe(["PackageVersion", "FromCode", "Later"], ignoreOrder: true);
        code.ToolHooks.Apply("Package", Library, RecipesPackSettings()).MSBuildSettings.Properties.Keys.ShouldBe(["PackageVersion", "FromCode"], ignoreOrder: true);
    }

    [Fact]
    public void A_missing_hook_is_refused_where_it_is_added()
    {
        Should.Throw<ArgumentNullException>(() => new RecipeSettings().Configure<DotNetPackSettings>((Action<DotNetPackSettings>)null!));
    }

    /// <summary>Pack settings as the Package stage makes them: no build, the version stamped.</summary>
    private static DotNetPackSettings RecipesPackSettings() => new()
    {
        Configuration = "Release",
        NoBuild = true,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PackageVersion", "1.2.3"),
    };
}
