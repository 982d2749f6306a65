using NuGet.Common;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Feeds;

public sealed class FolderFeedTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-folder-feed");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _timeout.Dispose();
        _temp.Dispose();
    }

    private string FeedDirectory => _temp.Combine("feed");

    private CancellationToken Token => _timeout.Token;

    [Fact]
    public async Task A_push_creates_the_folder_and_writes_the_flat_layout_with_the_same_bytes()
    {
        var package = NewPackage("Contoso.Flat", "1.0.0");
        var feed = new FolderFeed(FeedDirectory);

        await feed.PushAsync(package, Token);

        var written = Path.Combine(FeedDirectory, "Contoso.Flat.1.0.0.nupkg");
        File.ReadAllBytes(written).ShouldBe(File.ReadAllBytes(package.Path));
        Directory.GetFileSystemEntries(FeedDirectory).ShouldBe([written], "nothing else, no staging folder, is left in the feed");
    }

    [Fact]
    public async Task A_pushed_package_downloads_byte_for_byte_and_a_missing_one_is_false()
    {
        var package = NewPackage("Contoso.Download", "1.0.0");
        var feed = new FolderFeed(FeedDirectory);
        await feed.PushAsync(package, Token);

        using var copy = new MemoryStream();
        (await feed.DownloadAsync("contoso.download", "1.0", copy, Token)).ShouldBeTrue();
        copy.ToArray().ShouldBe(File.ReadAllBytes(package.Path));
        (await feed.DownloadAsync("Contoso.Download", "2.0.0", new MemoryStream(), Token)).ShouldBeFalse();
    }

    [Fact]
    public async Task NuGet_reads_back_what_the_folder_feed_wrote()
    {
        var package = NewPackage("Contoso.ReadBack", "2.1.0");
        await new FolderFeed(FeedDirectory).PushAsync(package, Token);

        var finder = await FinderAsync();
        using var cache = new SourceCacheContext { NoCache = true };
        var versions = await finder.GetAllVersionsAsync("contoso.readback", cache, NullLogger.Instance, Token);
        using var copy = new MemoryStream();
        await finder.CopyNupkgToStreamAsync("Contoso.ReadBack", NuGetVersion.Parse("2.1.0"), copy, cache, NullLogger.Instance, Token);

        versions.ShouldBe([NuGetVersion.Parse("2.1.0")]);
        copy.ToArray().ShouldBe(File.ReadAllBytes(package.Path));
    }

    [Fact]
    public async Task The_digest_is_null_for_a_missing_package_or_a_missing_folder()
    {
        var feed = new FolderFeed(FeedDirectory);
        (await feed.GetSha512Async("Contoso.Absent", "1.0.0", Token)).ShouldBeNull();

        await feed.PushAsync(NewPackage("Contoso.Present", "1.0.0"), Token);

        (await feed.GetSha512Async("Contoso.Present", "1.0.1", Token)).ShouldBeNull();
        (await feed.GetSha512Async("Contoso.Absent", "1.0.0", Token)).ShouldBeNull();
    }

    [Fact]
    public async Task Ids_match_whatever_their_case_and_versions_by_value()
    {
        var package = NewPackage("Contoso.Cased", "3.0.0");
        var feed = new FolderFeed(FeedDirectory);
        await feed.PushAsync(package, Token);

        (await feed.GetSha512Async("contoso.CASED", "3.0", Token)).ShouldBe(package.Sha512);
    }

    [Fact]
    public async Task A_package_in_the_hierarchical_v3_layout_is_found()
    {
        var package = NewPackage("Contoso.Tree", "1.5.0");
        var folder = Directory.CreateDirectory(Path.Combine(FeedDirectory, "contoso.tree", "1.5.0")).FullName;
        File.Copy(package.Path, Path.Combine(folder, "contoso.tree.1.5.0.nupkg"));

        (await new FolderFeed(FeedDirectory).GetSha512Async("Contoso.Tree", "1.5.0", Token)).ShouldBe(package.Sha512);
    }

    [Fact]
    public async Task A_flat_name_that_reads_two_ways_is_settled_by_the_nuspec()
    {
        // Amb.1 2.0.0 is stored as Amb.1.2.0.0.nupkg, which also reads as Amb 1.2.0.0.
        var feed = new FolderFeed(FeedDirectory);
        var package = NewPackage("Amb.1", "2.0.0");
        await feed.PushAsync(package, Token);

        (await feed.GetSha512Async("Amb", "1.2.0.0", Token)).ShouldBeNull();
        (await feed.GetSha512Async("Amb.1", "2.0.0", Token)).ShouldBe(package.Sha512);
    }

    [Fact]
    public async Task An_existing_package_is_never_overwritten()
    {
        var feed = new FolderFeed(FeedDirectory);
        var first = NewPackage("Contoso.Kept", "1.0.0");
        await feed.PushAsync(first, Token);
        var rebuilt = PackageFiles.Read(TestPackages.Create(_temp.Combine("rebuilt"), "Contoso.Kept", "1.0.0", "other content"));

        var refused = await Should.ThrowAsync<PackageAlreadyInFeedException>(feed.PushAsync(rebuilt, Token));

        refused.Package.ShouldBe(rebuilt);
        (await feed.GetSha512Async("Contoso.Kept", "1.0.0", Token)).ShouldBe(first.Sha512);
    }

    [Fact]
    public async Task A_killed_publish_leaves_no_package_visible_and_a_later_publish_sweeps_its_staging()
    {
        // What a publish killed between staging and the rename leaves behind.
        var package = NewPackage("Contoso.Killed", "1.0.0");
        var abandoned = Directory.CreateDirectory(Path.Combine(FeedDirectory, FolderFeed.StagingDirectoryName, "killed")).FullName;
        File.Copy(package.Path, Path.Combine(abandoned, "Contoso.Killed.1.0.0.nupkg"));
        Directory.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-1));
        var feed = new FolderFeed(FeedDirectory);

        (await feed.GetSha512Async("Contoso.Killed", "1.0.0", Token)).ShouldBeNull();
        var finder = await FinderAsync();
        using var cache = new SourceCacheContext { NoCache = true };
        (await finder.GetAllVersionsAsync("Contoso.Killed", cache, NullLogger.Instance, Token)).ShouldBeEmpty();

        await feed.PushAsync(package, Token);

        Directory.GetFileSystemEntries(FeedDirectory).ShouldBe([Path.Combine(FeedDirectory, "Contoso.Killed.1.0.0.nupkg")]);
        (await feed.GetSha512Async("Contoso.Killed", "1.0.0", Token)).ShouldBe(package.Sha512);
    }

    [Fact]
    public async Task Two_publishers_racing_with_the_same_package_both_succeed_and_one_pushes()
    {
        var path = NewPackage("Contoso.Raced", "1.0.0").Path;
        var logs = new List<string>();
        Task<IReadOnlyList<PublishedPackage>> Publish() => Task.Run(() => new FeedPublisher(new FolderFeed(FeedDirectory), line => { lock (logs) { logs.Add(line); } }).PublishAsync([path], Token));

        var results = await Task.WhenAll(Publish(), Publish());

        results.Select(result => result.ShouldHaveSingleItem().Result).Order().ShouldBe([PublishResult.Pushed, PublishResult.AlreadyPresent]);
        Directory.GetFileSystemEntries(FeedDirectory).ShouldBe([Path.Combine(FeedDirectory, "Contoso.Raced.1.0.0.nupkg")]);
    }

    /// <summary>NuGet's own reader for the feed folder, as restore would use it.</summary>
    private async Task<FindPackageByIdResource> FinderAsync() =>
        (await Repository.Factory.GetCoreV3(FeedDirectory).GetResourceAsync<FindPackageByIdResource>(Token)).ShouldNotBeNull();

    private PackageFile NewPackage(string id, string version) =>
        PackageFiles.Read(TestPackages.Create(_temp.Combine("packages", Guid.NewGuid().ToString("N")), id, version));
}
