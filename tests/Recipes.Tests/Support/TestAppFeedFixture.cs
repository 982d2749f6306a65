using System.Reflection;
using Recipes.Artifacts;
using Recipes.Feeds;

namespace Recipes.Tests.Support;

/// <summary>
/// The tests' one feed of deployables, once per test class: Recipes.TestApp's build output packed into a folder feed
/// as <see cref="Version"/> (the plain build, what a release store downloads, checks and unpacks) and as the four
/// versions the strategies deploy under load (3.0.0 answers 500 to every 5th request, 4.0.0 is never healthy).
/// </summary>
public sealed class TestAppFeedFixture : IAsyncLifetime
{
    public const string Id = "Recipes.TestApp";

    /// <summary>The plain build output's version, for tests that need one release.</summary>
    public const string Version = "1.2.3";

    private readonly TempDirectory _temp = new("recipes-test-app-feed");

    public FolderFeed Feed { get; private set; } = null!;

    /// <summary>The feed's folder, for a build run with <c>--feed</c>.</summary>
    public string FeedFolder => _temp.Combine("feed");

    public Dictionary<string, PackageFile> Packages { get; } = [];

    /// <summary>The plain build output's package (<see cref="Version"/>).</summary>
    public PackageFile Package => Packages[Version];

    public async Task InitializeAsync()
    {
        var appDirectory = typeof(TestAppFeedFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RecipesTestAppDirectory").Value!;
        File.Exists(Path.Combine(appDirectory, Id + ".dll")).ShouldBeTrue($"Build tests/Recipes.TestApp first: {appDirectory} has no {Id}.dll.");
        Feed = new FolderFeed(FeedFolder);
        await PushAsync(Version, appDirectory);
        foreach (var (version, failEvery, unhealthy) in new[] { ("1.0.0", 0, false), ("2.0.0", 0, false), ("3.0.0", 5, false), ("4.0.0", 0, true) })
        {
            var copy = _temp.Combine("app-" + version);
            RepositoryLayout.CopyDirectory(appDirectory, copy);
            File.WriteAllText(Path.Combine(copy, "appsettings.json"), $$"""{ "AppVersion": "{{version}}", "FailEvery": {{failEvery}}, "Unhealthy": {{(unhealthy ? "true" : "false")}} }""");
            await PushAsync(version, copy);
        }
    }

    /// <summary>A second feed whose copy of <paramref name="version"/> has one byte more than the one the manifest describes.</summary>
    public FolderFeed TamperedFeed(string version = Version)
    {
        var folder = Directory.CreateDirectory(_temp.Combine("tampered-" + Guid.NewGuid().ToString("N"))).FullName;
        var copy = Path.Combine(folder, Path.GetFileName(Packages[version].Path));
        File.Copy(Packages[version].Path, copy);
        using (var stream = new FileStream(copy, FileMode.Append))
        {
            stream.WriteByte(0);
        }

        return new FolderFeed(folder);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private async Task PushAsync(string version, string appDirectory)
    {
        var packed = DeployablePackager.Pack(appDirectory, Id, version, "Recipes tests", _temp.Combine("packed"), "1700000000");
        Packages[version] = PackageFiles.Read(packed);
        await Feed.PushAsync(Packages[version], CancellationToken.None);
    }
}
