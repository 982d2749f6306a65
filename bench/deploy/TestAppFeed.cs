using System.Reflection;
using Recipes.Artifacts;
using Recipes.Feeds;

/// <summary>
/// Recipes.TestApp packed as versions of one build into a folder feed: each version's appsettings.json sets AppVersion,
/// which the app sends as the X-App-Version header, so every answer names the release that gave it.
/// </summary>
internal sealed class TestAppFeed
{
    public const string Id = "Recipes.TestApp";

    private TestAppFeed(FolderFeed feed, IReadOnlyDictionary<string, PackageFile> packages)
    {
        Feed = feed;
        Packages = packages;
    }

    public FolderFeed Feed { get; }

    public IReadOnlyDictionary<string, PackageFile> Packages { get; }

    public static async Task<TestAppFeed> PackAsync(string root, IEnumerable<string> versions, CancellationToken cancellationToken)
    {
        // The project file records where the TestApp was built, as the tests' project does for them.
        // run.sh --ready-to-run names a ReadyToRun publish of the same app instead.
        var appDirectory = Environment.GetEnvironmentVariable("RECIPES_BENCH_TESTAPP_DIRECTORY") is { Length: > 0 } published
            ? published
            : typeof(TestAppFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RecipesTestAppDirectory").Value!;
        var feed = new FolderFeed(Path.Combine(root, "feed"));
        var packages = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            var copy = Path.Combine(root, "app-" + version);
            foreach (var file in Directory.EnumerateFiles(appDirectory, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(appDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            File.WriteAllText(Path.Combine(copy, "appsettings.json"), $$"""{ "AppVersion": "{{version}}" }""");
            var packed = DeployablePackager.Pack(copy, Id, version, "Recipes bench", Path.Combine(root, "packed"), "1700000000");
            packages[version] = PackageFiles.Read(packed);
            await feed.PushAsync(packages[version], cancellationToken);
        }

        return new TestAppFeed(feed, packages);
    }
}
