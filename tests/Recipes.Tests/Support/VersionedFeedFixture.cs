using System.Reflection;
using Recipes.Artifacts;
using Recipes.Feeds;

namespace Recipes.Tests.Support;

/// <summary>
/// Recipes.TestApp packed as four versions (3.0.0 answers 500 to every 5th request, 4.0.0 is never healthy) into one folder feed for the
/// class: what the strategies deploy, with the real router and real release processes, under loopback load.
/// </summary>
public sealed class VersionedFeedFixture : IAsyncLifetime
{
    public const string Id = "Recipes.TestApp";
    private readonly TempDirectory _temp = new("recipes-versioned-feed");

    public FolderFeed Feed { get; private set; } = null!;

    /// <summary>The feed's folder, for a build run with <c>--feed</c>.</summary>
    public string FeedFolder => _temp.Combine("feed");

    public Dictionary<string, PackageFile> Packages { get; } = [];

    public async Task InitializeAsync()
    {
        var appDirectory = typeof(VersionedFeedFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RecipesTestAppDirectory").Value!;
        Feed = new FolderFeed(FeedFolder);
        foreach (var (version, failEvery, unhealthy) in new[] { ("1.0.0", 0, false), ("2.0.0", 0, false), ("3.0.0", 5, false), ("4.0.0", 0, true) })
        {
            var copy = _temp.Combine("app-" + version);
            RepositoryLayout.CopyDirectory(appDirectory, copy);

            File.WriteAllText(Path.Combine(copy, "appsettings.json"), $$"""{ "AppVersion": "{{version}}", "FailEvery": {{failEvery}}, "Unhealthy": {{(unhealthy ? "true" : "false")}} }""");
            var packed = DeployablePackager.Pack(copy, Id, version, "Recipes tests", _temp.Combine("packed"), "1700000000");
            Packages[version] = PackageFiles.Read(packed);
            await Feed.PushAsync(Packages[version], CancellationToken.None);
        }
    }

    public FolderFeed TamperedFeed(string version) => DeployableFeedFixture.TamperedCopy(Packages[version], _temp);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
