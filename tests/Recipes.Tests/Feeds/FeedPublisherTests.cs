using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Feeds;

public sealed class FeedPublisherTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-publisher");
    private readonly List<string> _log = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _timeout.Dispose();
        _temp.Dispose();
    }

    private string FeedDirectory => _temp.Combine("feed");

    private CancellationToken Token => _timeout.Token;

    [Fact]
    public async Task Every_missing_package_is_pushed_in_the_order_given()
    {
        var paths = new[] { NewPackage("Contoso.B", "1.0.0"), NewPackage("Contoso.A", "1.0.0") };

        var published = await Publisher().PublishAsync(paths, Token);

        published.Select(p => (p.Package.Id, p.Result)).ShouldBe([("Contoso.B", PublishResult.Pushed), ("Contoso.A", PublishResult.Pushed)]);
        Directory.GetFiles(FeedDirectory).Select(Path.GetFileName).Order().ShouldBe(["Contoso.A.1.0.0.nupkg", "Contoso.B.1.0.0.nupkg"]);
    }

    [Fact]
    public async Task A_rerun_finds_identical_packages_already_present_and_says_so()
    {
        var path = NewPackage("Contoso.Again", "1.0.0");
        await Publisher().PublishAsync([path], Token);
        var added = NewPackage("Contoso.New", "1.0.0");

        var published = await Publisher().PublishAsync([TestPackages.CopyTo(path, _temp.Combine("copy")), added], Token);

        published.Select(p => p.Result).ShouldBe([PublishResult.AlreadyPresent, PublishResult.Pushed]);
        _log.ShouldContain("Contoso.Again 1.0.0 is already in the feed with the same content; nothing to do");
    }

    [Fact]
    public async Task A_conflict_on_any_package_stops_the_whole_set_before_anything_is_pushed()
    {
        var original = NewPackage("Contoso.Taken", "1.0.0");
        await Publisher().PublishAsync([original], Token);
        var before = Directory.GetFiles(FeedDirectory);
        var fresh = NewPackage("Contoso.Fresh", "1.0.0");
        var rebuilt = NewPackage("Contoso.Taken", "1.0.0", "rebuilt");

        var conflict = await Should.ThrowAsync<FeedConflictException>(Publisher().PublishAsync([fresh, rebuilt], Token));

        Directory.GetFiles(FeedDirectory).ShouldBe(before);
        conflict.Package.Path.ShouldBe(rebuilt);
        conflict.FeedSha512.ShouldBe(PackageFiles.Read(original).Sha512);
        conflict.Message.ShouldStartWith(
            $"Contoso.Taken 1.0.0 is already in {FeedDirectory} with different content (feed sha512 {PackageFiles.Read(original).Sha512[..12]}, " +
            $"local sha512 {PackageFiles.Read(rebuilt).Sha512[..12]}); published versions are immutable, so nothing was pushed: " +
            "this working tree built other files than the build that published it");
        conflict.Message.ShouldEndWith("Files that differ:\n  content/Contoso.Taken.txt (changed)");
        conflict.Message.ShouldNotContain("bump");
        _log.ShouldContain(conflict.Message);
    }

    [Fact]
    public async Task A_conflict_whose_files_are_the_same_says_only_the_zip_differs()
    {
        var original = NewPackage("Contoso.Rezipped", "1.0.0");
        await Publisher().PublishAsync([original], Token);
        var repacked = Rezipped(original, _temp.Combine("rezipped"));

        var conflict = await Should.ThrowAsync<FeedConflictException>(Publisher().PublishAsync([repacked], Token));

        conflict.Message.ShouldContain("The files inside are the same: only the zip differs");
        conflict.Message.ShouldContain("pack with Deterministic and DeterministicTimestamp set");
        conflict.Message.ShouldNotContain("bump");
    }

    [Fact]
    public async Task A_conflict_on_a_feed_that_cannot_serve_its_copy_says_what_happened_without_a_file_list()
    {
        var original = NewPackage("Contoso.Unreadable", "1.0.0");
        var feed = new UnreadableFeed(PackageFiles.Read(original).Sha512);

        var conflict = await Should.ThrowAsync<FeedConflictException>(
            new FeedPublisher(feed, _log.Add).PublishAsync([NewPackage("Contoso.Unreadable", "1.0.0", "rebuilt")], Token));

        conflict.Message.ShouldContain("This build differs from the one that published it");
        conflict.Message.ShouldNotContain("Files that differ");
    }

    [Fact]
    public async Task A_feed_that_refuses_a_version_it_cannot_serve_is_a_conflict_that_says_to_wait_or_bump()
    {
        var feed = new RefusingFeed();

        var conflict = await Should.ThrowAsync<FeedConflictException>(
            new FeedPublisher(feed).PublishAsync([NewPackage("Contoso.Hidden", "1.0.0")], Token));

        conflict.FeedSha512.ShouldBeNull();
        conflict.Message.ShouldContain("refused Contoso.Hidden 1.0.0");
        conflict.Message.ShouldContain("wait until the feed shows it and run again, otherwise bump the version");
    }

    [Fact]
    public async Task The_same_file_given_twice_is_published_once()
    {
        var path = NewPackage("Contoso.Twice", "1.0.0");

        var published = await Publisher().PublishAsync([path, TestPackages.CopyTo(path, _temp.Combine("twin"))], Token);

        published.ShouldHaveSingleItem().Result.ShouldBe(PublishResult.Pushed);
    }

    [Fact]
    public async Task Two_different_files_for_one_version_are_refused_before_the_feed_is_asked()
    {
        var first = NewPackage("Contoso.Split", "1.0.0", "one");
        var second = NewPackage("Contoso.Split", "1.0.0", "two");

        var error = await Should.ThrowAsync<RecipeException>(Publisher().PublishAsync([first, second], Token));

        error.Message.ShouldBe($"{first} and {second} are both Contoso.Split 1.0.0 with different content; publish one of them");
        Directory.Exists(FeedDirectory).ShouldBeFalse();
    }

    [Fact]
    public async Task Nothing_to_publish_is_no_error()
    {
        (await Publisher().PublishAsync([], Token)).ShouldBeEmpty();
    }

    /// <summary>The same entries zipped again in reverse order: the same files, other bytes.</summary>
    private static string Rezipped(string nupkg, string directory)
    {
        Directory.CreateDirectory(directory);
        var copy = Path.Combine(directory, Path.GetFileName(nupkg));
        using var source = System.IO.Compression.ZipFile.OpenRead(nupkg);
        using var target = System.IO.Compression.ZipFile.Open(copy, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var entry in source.Entries.Reverse())
        {
            using var from = entry.Open();
            using var to = target.CreateEntry(entry.FullName).Open();
            from.CopyTo(to);
        }

        return copy;
    }

    private FeedPublisher Publisher() => new(new FolderFeed(FeedDirectory, _log.Add), _log.Add);

    private string NewPackage(string id, string version, string content = "made by Recipes tests") =>
        TestPackages.Create(_temp.Combine("packages", Guid.NewGuid().ToString("N")), id, version, content);

    /// <summary>Has a copy with a known digest but cannot serve it, like a feed whose downloads fail.</summary>
    private sealed class UnreadableFeed(string sha512) : IPackageFeed
    {
        public string DisplayName => "https://feed.example/v3/index.json";

        public Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken) => Task.FromResult<string?>(sha512);

        public Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task PushAsync(PackageFile package, CancellationToken cancellationToken) => throw new PackageAlreadyInFeedException(package, DisplayName);
    }

    /// <summary>Answers every push with "already there" but never serves the package, like a feed still indexing it.</summary>
    private sealed class RefusingFeed : IPackageFeed
    {
        public string DisplayName => "https://feed.example/v3/index.json";

        public Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task PushAsync(PackageFile package, CancellationToken cancellationToken) => throw new PackageAlreadyInFeedException(package, DisplayName);
    }
}
