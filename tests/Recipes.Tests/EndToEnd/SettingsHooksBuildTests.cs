using System.IO.Compression;
using System.Xml.Linq;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A team changes the Package and FastTests stages' dotnet calls with one line of Configure each in build/Program.cs,
/// no task replaced: the package carries the added property, the extra test logger writes its file, and a hook
/// overrides a value the recipe set (the package version), since hooks run after the recipe's own settings.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SettingsHooksBuildTests
{
    [Fact]
    public void Configure_changes_pack_and_test_calls_without_replacing_a_task()
    {
        using var repo = new SampleRepository();
        repo.Write("build/Program.cs", """
            using Cake.Common.Tools.DotNet.MSBuild;
            using Cake.Common.Tools.DotNet.Pack;
            using Cake.Common.Tools.DotNet.Test;
            using Recipes.Hosting;
            using Recipes.Pipeline;

            return new CakeHost()
                .UseRecipe(recipe => recipe
                    .Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.WithProperty("PackageProjectUrl", "https://hooks.example/greeter"))
                    .Configure<DotNetPackSettings>(pack => pack.MSBuildSettings.Properties["PackageVersion"] = ["7.7.7-hooked"])
                    .Configure<DotNetTestSettings>((test, call) => test.Loggers.Add($"html;LogFileName={call.Task}.html")))
                .Run(args);
            """);
        repo.Commit("Change pack and test through settings hooks");

        var run = repo.Build("--target=Package");

        run.ExitCode.ShouldBe(0, run.All);
        var package = Path.Combine(repo.Repository, "artifacts", "packages", "Acme.Greeter.7.7.7-hooked.nupkg");
        File.Exists(package).ShouldBeTrue($"the hook's package version overrides the recipe's; packages: {string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(package)!))}\n{run.All}");
        var nuspec = Nuspec(package);
        nuspec.Descendants().Single(e => e.Name.LocalName == "projectUrl").Value.ShouldBe("https://hooks.example/greeter");
        File.Exists(Path.Combine(repo.Repository, "artifacts", "test-results", "Acme.Greeter.Tests", "FastTests.html"))
            .ShouldBeTrue($"the extra logger's file, named by the call's task\n{run.All}");
    }

    private static XDocument Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }
}
