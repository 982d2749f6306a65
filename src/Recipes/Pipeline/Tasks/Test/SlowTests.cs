using Cake.Core.Diagnostics;
using Recipes.Building;
using Recipes.Discovery;
using Recipes.Hosting;
using Recipes.Testing;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Runs the slow (acceptance) test projects against the artifact restored from the feed by exact version, never
/// against the build folder: the acceptance stage tests what will be deployed. It needs only the manifest, so it can
/// run in a later CI job than the commit stage.
/// </summary>
[TaskName(nameof(SlowTests))]
[TaskDescription("Run the slow (acceptance) tests against the published packages, restored from the feed")]
[IsDependentOn(typeof(PackageSmokeCheck))]
public sealed class SlowTests : FrostingTask<RecipeContext>
{
    /// <summary>MSBuild property that carries the version under test into the test projects.</summary>
    public const string VersionProperty = PublishedPackageProperties.Version;

    /// <summary>MSBuild property that carries the feed into the test projects.</summary>
    public const string FeedProperty = PublishedPackageProperties.Feed;

    /// <inheritdoc />
    public override bool ShouldRun(RecipeContext context) =>
        context.TestProjects(TestStage.Slow).Any() || Skip("no slow test projects in the solution");

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        // PackageSmokeCheck has checked the feed's copies and installed them into the acceptance packages folder.
        var manifest = context.ReadManifest();
        // The test projects are built here, against the packages: their compiles share one server.
        using var server = CompilerServer.ForStage(context.Settings.UsesCompilerServer, line => context.Log.Verbose("{0}", line));
        var failed = StageTestRunner.Run(context, TestStage.Slow, nameof(SlowTests), (project, results) =>
        {
            var run = new TestProjectRun(context, project.Path, results) { Configuration = context.Settings.Configuration };
            run.Properties[VersionProperty] = manifest.Version;
            run.Properties[FeedProperty] = context.Settings.Feed;
            // The checked copies only: the artifacts are already installed from them, so no source is asked for them.
            run.Properties["RestoreAdditionalProjectSources"] = context.Artifacts.CheckedPackages;
            run.Properties["RestorePackagesPath"] = context.Artifacts.AcceptancePackages;
            run.Properties["RestoreNoHttpCache"] = "true";
            foreach (var (name, value) in server.Properties)
            {
                run.Properties[name] = value;
            }

            return run;
        },
        $"against {manifest.Version}",
        (project, run) => CheckResolvedFromFeed(context, project, run, manifest));

        if (failed.Count > 0)
        {
            throw new RecipeException(
                $"Slow tests failed in {string.Join(", ", failed)} against the published {manifest.Version}. Results: {context.Artifacts.TestResults}");
        }
    }

    /// <summary>Restores the project and fails unless it took the packages under test from the feed at the version under test.</summary>
    private static void CheckResolvedFromFeed(RecipeContext context, DiscoveredProject project, TestProjectRun run, Artifacts.ArtifactManifest manifest)
    {
        var name = Path.GetRelativePath(context.RepositoryRoot, Path.GetDirectoryName(project.Path)!).Replace('\\', '/');
        string assets;
        try
        {
            assets = run.Restore();
        }
        catch (Cake.Core.CakeException ex)
        {
            throw new RecipeException($"{name} did not restore against the published {manifest.Version} ({ex.Message}); its first error is in the output above", ex);
        }

        var outcome = ResolvedPackagesUnderTest.Check(File.ReadAllText(assets), name, manifest.Artifacts);
        if (outcome.Problems.Count > 0)
        {
            throw new RecipeException(string.Join(Environment.NewLine, outcome.Problems));
        }

        if (!outcome.ResolvedAny && manifest.Artifacts.Any(a => a.Kind != "deployable"))
        {
            // Allowed (it may test a deployed app through its endpoints), but it is no evidence about the packages.
            context.Log.Warning(
                "{0} references none of the published packages ({1}), so it does not test them; see the README's \"{2}\"",
                name, string.Join(", ", manifest.Artifacts.Where(a => a.Kind != "deployable").Select(a => a.Id)), ResolvedPackagesUnderTest.ReadmeSection);
        }
    }
}
