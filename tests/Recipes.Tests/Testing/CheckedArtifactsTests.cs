using Recipes.Artifacts;
using Recipes.Feeds;
using Recipes.Testing;
using Recipes.Tests.Support;

namespace Recipes.Tests.Testing;

public sealed class CheckedArtifactsTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-checked-artifacts");

    public void Dispose() => _temp.Dispose();

    private string Downloads => _temp.Combine("checked");

    private string PackagesFolder => _temp.Combine("acceptance-packages");

    [Fact]
    public async Task The_checked_bytes_are_installed_where_restore_looks_first()
    {
        var package = Build("Contoso.Checked", "1.2.3");
        var feed = FeedWith(package.Path);

        await new CheckedArtifacts(feed, Downloads, PackagesFolder).InstallAsync([Entry(package)], CancellationToken.None);

        var installed = Path.Combine(PackagesFolder, "contoso.checked", "1.2.3");
        File.ReadAllBytes(Path.Combine(installed, "contoso.checked.1.2.3.nupkg")).ShouldBe(File.ReadAllBytes(package.Path));
        // NuGet counts a package as installed once its metadata file is there, and then asks no source for it.
        File.Exists(Path.Combine(installed, ".nupkg.metadata")).ShouldBeTrue();
        File.Exists(Path.Combine(installed, "content", "Contoso.Checked.txt")).ShouldBeTrue();
        File.ReadAllBytes(Path.Combine(Downloads, "Contoso.Checked.1.2.3.nupkg")).ShouldBe(File.ReadAllBytes(package.Path));
    }

    [Fact]
    public async Task A_feed_copy_rezipped_with_one_more_file_is_refused_and_nothing_of_any_artifact_is_installed()
    {
        var good = Build("Contoso.Good", "2.0.0");
        var tampered = Build("Contoso.Tampered", "2.0.0");
        var feed = FeedWith(good.Path, TestPackages.WithExtraFile(tampered.Path, _temp.Combine("rezipped")));
        var feedSha512 = PackageFiles.Read(Directory.GetFiles(feed.Directory, "Contoso.Tampered.*").Single()).Sha512;

        var refused = await Should.ThrowAsync<RecipeException>(
            new CheckedArtifacts(feed, Downloads, PackagesFolder).InstallAsync([Entry(good), Entry(tampered)], CancellationToken.None));

        refused.Message.ShouldBe(
            $"Contoso.Tampered 2.0.0 in {feed.DisplayName} has SHA-512 {feedSha512[..12]}… but the manifest says {tampered.Sha512[..12]}…; " +
            "the feed's copy was changed: refusing to test it");
        (Directory.Exists(PackagesFolder) ? Directory.GetFileSystemEntries(PackagesFolder) : []).ShouldBeEmpty("nothing is installed when one artifact fails its check");
        Directory.GetFiles(Downloads).ShouldBe([Path.Combine(Downloads, "Contoso.Good.2.0.0.nupkg")], "the refused copy is not kept as a restore source");
    }

    [Fact]
    public async Task An_earlier_install_of_the_artifact_is_replaced_by_the_checked_bytes()
    {
        var package = Build("Contoso.Reinstalled", "1.0.0");
        var earlier = Path.Combine(PackagesFolder, "contoso.reinstalled", "1.0.0");
        Directory.CreateDirectory(earlier);
        File.WriteAllText(Path.Combine(earlier, "planted.txt"), "left by an earlier restore of a tampered copy");
        File.WriteAllText(Path.Combine(earlier, ".nupkg.metadata"), "{}");

        await new CheckedArtifacts(FeedWith(package.Path), Downloads, PackagesFolder).InstallAsync([Entry(package)], CancellationToken.None);

        File.Exists(Path.Combine(earlier, "planted.txt")).ShouldBeFalse();
        File.ReadAllBytes(Path.Combine(earlier, "contoso.reinstalled.1.0.0.nupkg")).ShouldBe(File.ReadAllBytes(package.Path));
    }

    [Fact]
    public async Task An_artifact_missing_from_the_feed_is_named_with_the_feed()
    {
        var package = Build("Contoso.Missing", "1.0.0");
        var feed = new FolderFeed(_temp.Combine("empty-feed"));

        var refused = await Should.ThrowAsync<RecipeException>(
            new CheckedArtifacts(feed, Downloads, PackagesFolder).InstallAsync([Entry(package)], CancellationToken.None));

        refused.Message.ShouldBe($"Contoso.Missing 1.0.0 is not in {feed.DisplayName}; publish it there (the Publish stage) before the acceptance stage");
        Directory.GetFiles(Downloads).ShouldBeEmpty();
    }

    private PackageFile Build(string id, string version) =>
        PackageFiles.Read(TestPackages.Create(_temp.Combine("built", Guid.NewGuid().ToString("N")), id, version));

    /// <summary>A folder feed holding exactly these files, copied in as they are (no push, so a tampered copy stays tampered).</summary>
    private FolderFeed FeedWith(params string[] nupkgs)
    {
        var folder = _temp.Combine("feed-" + Guid.NewGuid().ToString("N"));
        foreach (var nupkg in nupkgs)
        {
            TestPackages.CopyTo(nupkg, folder);
        }

        return new FolderFeed(folder);
    }

    private static ArtifactEntry Entry(PackageFile package) =>
        new(package.Id, package.Version, "library", Path.GetFileName(package.Path), package.Sha512);
}
