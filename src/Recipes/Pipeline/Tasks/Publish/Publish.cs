using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Feeds;
using Recipes.Hosting;
using Recipes.Versioning;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Pushes every artifact of the manifest to the feed. Artifacts are immutable: the same id and version with the same
/// content is skipped, with different content refused before anything is pushed; so is a version below a release
/// of the same id already in the feed, unless <c>allow-lower-version</c> is set. With a <c>registry</c>, each
/// deployable app is also pushed as an image, and the manifest records the digest the registry holds for it.
/// </summary>
[TaskName(nameof(Publish))]
[TaskDescription("Push the artifacts to the feed (--feed, RECIPES_FEED; default ~/.recipes/feed)")]
[IsDependentOn(typeof(Package))]
public sealed class Publish : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override bool ShouldRun(RecipeContext context) =>
        context.Manifest is { Artifacts.Count: > 0 } || File.Exists(context.Artifacts.Manifest) || Skip("nothing was packaged");

    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var manifest = context.ReadManifest();
        var feed = context.OpenFeed();
        context.Log.Information("Publishing {0} package(s) {1} to {2}", manifest.Artifacts.Count, manifest.Version, feed.DisplayName);
        await RefuseLowerVersionsAsync(context, manifest.Artifacts, feed).ConfigureAwait(false);

        // The registry is checked before the feed takes anything, so a refused image leaves both untouched.
        using var images = context.Settings.Registry is { Length: > 0 } registry ? new AppImages(context, registry) : null;
        var imagePlans = images is null ? [] : await images.CheckAsync(manifest, CancellationToken.None).ConfigureAwait(false);
        var files = manifest.Artifacts.Select(a => Path.Combine(context.Artifacts.Packages, a.File)).ToList();
        var published = await new FeedPublisher(feed, message => context.Log.Information("{0}", message))
            .PublishAsync(files, CancellationToken.None)
            .ConfigureAwait(false);
        foreach (var (package, result) in published)
        {
            context.Log.Information(
                result == PublishResult.Pushed ? "{0} {1}: pushed" : "{0} {1}: already in the feed with the same content, skipped",
                package.Id,
                package.Version);
        }

        var pushed = published.Count(p => p.Result == PublishResult.Pushed);
        context.Summary.Set("Feed", $"{feed.DisplayName}: {pushed} pushed, {published.Count - pushed} already there");
        if (images is not null)
        {
            context.Manifest = await images.PushAsync(manifest, imagePlans, CancellationToken.None).ConfigureAwait(false);
            context.Manifest.Write(context.Artifacts.Manifest);
        }

        if (context.Settings.TagCommit)
        {
            GitTag.Create(context, $"v{manifest.Version}", manifest.Commit);
        }
    }

    /// <summary>Before anything is pushed: no package goes out below a release of the same id already in the feed, unless allowed.</summary>
    private static async Task RefuseLowerVersionsAsync(RecipeContext context, IEnumerable<ArtifactEntry> artifacts, IPackageFeed feed)
    {
        if (feed is not IPackageVersionListing listing)
        {
            return;
        }

        foreach (var artifact in artifacts)
        {
            var inFeed = await listing.ListVersionsAsync(artifact.Id, CancellationToken.None).ConfigureAwait(false);
            VersionFloor.CheckFeed(
                artifact.Id,
                artifact.Version,
                inFeed,
                feed.DisplayName,
                context.Settings.AllowLowerVersion,
                warning => context.Log.Warning("{0}", warning));
        }
    }
}
