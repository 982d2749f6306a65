using System.Reflection;
using Recipes.Artifacts;
using Recipes.Feeds;

namespace Recipes.Tests.Support;

/// <summary>
/// Recipes.TestApp's build output packed as the deployable <c>Recipes.TestApp 1.2.3</c> into a folder feed, once per
/// test class: what a release store downloads, checks and unpacks.
/// </summary>
public sealed class DeployableFeedFixture : IAsyncLifetime
{
    public const string Id = "Recipes.TestApp";
    public const string Version = "1.2.3";
    private readonly TempDirectory _temp = new("recipes-deployable-feed");

    public FolderFeed Feed { get; private set; } = null!;

    public PackageFile Package { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var appDirectory = typeof(DeployableFeedFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RecipesTestAppDirectory").Value!;
        File.Exists(Path.Combine(appDirectory, Id + ".dll")).ShouldBeTrue($"Build tests/Recipes.TestApp first: {appDirectory} has no {Id}.dll.");

        var packed = DeployablePackager.Pack(appDirectory, Id, Version, "Recipes tests", _temp.Combine("packed"), "1700000000");
        Package = PackageFiles.Read(packed);
        Feed = new FolderFeed(_temp.Combine("feed"));
        await Feed.PushAsync(Package, CancellationToken.None);
    }

    /// <summary>A second feed whose copy of the package has one byte more than the one the manifest describes.</summary>
    public FolderFeed TamperedFeed() => TamperedCopy(Package, _temp);

    /// <summary>A new folder feed under <paramref name="temp"/> holding <paramref name="package"/> with one byte added.</summary>
    internal static FolderFeed TamperedCopy(PackageFile package, TempDirectory temp)
    {
        var folder = Directory.CreateDirectory(temp.Combine("tampered-" + Guid.NewGuid().ToString("N"))).FullName;
        var copy = Path.Combine(folder, Path.GetFileName(package.Path));
        File.Copy(package.Path, copy);
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
}
