using Cake.Core.Diagnostics;
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
public sealed class SlowTests : FrostingTask<RecipeContext>
{
    /// <summary>MSBuild property that carries the version under test into the test projects.</summary>
    public const string VersionProperty = "RecipesPackageVersion";

    /// <summary>MSBuild property that carries the feed into the test projects.</summary>
    public const string FeedProperty = "RecipesFeed";

    /// <inheritdoc />
    public override bool ShouldRun(RecipeContext context) =>
        context.TestProjects(TestStage.Slow).Any() || Skip("no slow test projects in the solution");

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var manifest = context.ReadManifest();
        var feed = context.OpenFeed();
        // Checked before any restore: a feed copy that differs from the manifest is refused, as Deploy refuses it.
        new CheckedArtifacts(feed, context.Artifacts.CheckedPackages, context.Artifacts.AcceptancePackages)
            .InstallAsync(manifest.Artifacts, CancellationToken.None).GetAwaiter().GetResult();
        context.Log.Information("Checked {0} against the manifest (SHA-512), installed for restore", Count(manifest.Artifacts.Count, feed.DisplayName));
        var failed = StageTestRunner.Run(context, TestStage.Slow, nameof(SlowTests), (project, results) =>
        {
            var run = new TestProjectRun(context, project.Path, results) { Configuration = context.Settings.Configuration };
            run.Properties[VersionProperty] = manifest.Version;
            run.Properties[FeedProperty] = context.Settings.Feed;
            // The checked copies only: the artifacts are already installed from them, so no source is asked for them.
            run.Properties["RestoreAdditionalProjectSources"] = context.Artifacts.CheckedPackages;
            run.Properties["RestorePackagesPath"] = context.Artifacts.AcceptancePackages;
            run.Properties["RestoreNoHttpCache"] = "true";
            return run;
        },
        $"against {manifest.Version}");

        if (failed.Count > 0)
        {
            throw new RecipeException(
                $"Slow tests failed in {string.Join(", ", failed)} against the published {manifest.Version}. Results: {context.Artifacts.TestResults}");
        }
    }

    private static string Count(int packages, string feed) => $"{packages} package{(packages == 1 ? string.Empty : "s")} from {feed}";
}
