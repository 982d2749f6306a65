using Cake.Core.Diagnostics;
using Recipes.Hosting;
using Recipes.Testing;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// The acceptance stage's first check, which needs nothing from the team: every package of the manifest is downloaded
/// from the feed and its SHA-512 checked, then each library is restored by exact version into a fresh consumer project
/// that loads all its assemblies, and each deployable app is checked for the entry assembly its deployment runs.
/// </summary>
[TaskName(nameof(PackageSmokeCheck))]
[TaskDescription("Check the published packages from the feed: restore each by exact version into a fresh consumer project and load its assemblies")]
public sealed class PackageSmokeCheck : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        var manifest = context.ReadManifest();
        var feed = context.OpenFeed();
        // Checked before any restore: a feed copy that differs from the manifest is refused, as Deploy refuses it.
        new CheckedArtifacts(feed, context.Artifacts.CheckedPackages, context.Artifacts.AcceptancePackages)
            .InstallAsync(manifest.Artifacts, CancellationToken.None).GetAwaiter().GetResult();
        var count = manifest.Artifacts.Count;
        context.Log.Information("Checked {0} package{1} from {2} against the manifest (SHA-512), installed for restore", count, count == 1 ? string.Empty : "s", feed.DisplayName);

        var check = new PublishedPackageSmokeCheck(
            feed.DisplayName, context.Artifacts.AcceptancePackages, context.Artifacts.CheckedPackages, context.Artifacts.SmokeCheck, context.Settings.MSBuildProperties);
        var passed = new List<string>();
        var failures = new List<string>();
        foreach (var artifact in manifest.Artifacts)
        {
            try
            {
                var line = check.Check(artifact);
                context.Log.Information("Smoke check {0}", line);
                passed.Add(line);
            }
            catch (RecipeException ex)
            {
                context.Log.Error("{0}", ex.Message);
                failures.Add(ex.Message);
            }
        }

        context.Summary.Set(nameof(PackageSmokeCheck), failures.Count > 0 ? string.Join("; ", failures) : string.Join("; ", passed));
        if (failures.Count > 0)
        {
            throw new RecipeException(string.Join(Environment.NewLine, failures));
        }
    }
}
