using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

public sealed class ReleaseStoreTests : IClassFixture<TestAppFeedFixture>, IDisposable
{
    private const string Id = TestAppFeedFixture.Id;
    private const string Version = TestAppFeedFixture.Version;
    private readonly TestAppFeedFixture _fixture;
    private readonly TempDirectory _temp = new("recipes-releases");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly ReleaseStore _store;

    public ReleaseStoreTests(TestAppFeedFixture fixture)
    {
        _fixture = fixture;
        _store = new ReleaseStore(_temp.Combine("releases", "staging"));
    }

    private CancellationToken Token => _timeout.Token;

    private string Digest => _fixture.Package.Sha512;

    public void Dispose()
    {
        _store.Prune(keep: 0);
        _timeout.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_matching_digest_unpacks_the_app_into_a_fresh_read_only_folder()
    {
        var release = await _store.PrepareAsync(_fixture.Feed, Id, Version, Digest.ToUpperInvariant(), Token);

        release.Id.ShouldBe(Id);
        release.Version.ShouldBe(Version);
        release.Digest.ShouldBe(Digest);
        Path.GetFileName(release.Folder).ShouldStartWith($"{Id}-{Version}-{Digest[..12]}-");
        Path.GetDirectoryName(release.Folder).ShouldBe(_store.Root);
        release.EntryAssembly.ShouldBe(Path.Combine(release.Folder, Id + ".dll"));
        File.Exists(Path.Combine(release.Folder, Id + ".runtimeconfig.json")).ShouldBeTrue();
        Directory.GetFileSystemEntries(_store.Root).ShouldBe([release.Folder], "no staging folder or download is left behind");
        if (!OperatingSystem.IsWindows())
        {
            var writeBits = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            (File.GetUnixFileMode(release.Folder) & writeBits).ShouldBe((UnixFileMode)0, "the release folder is read-only");
            foreach (var entry in Directory.EnumerateFileSystemEntries(release.Folder, "*", SearchOption.AllDirectories))
            {
                (File.GetUnixFileMode(entry) & writeBits).ShouldBe((UnixFileMode)0, $"{entry} is read-only");
            }
        }
        else
        {
            File.GetAttributes(release.EntryAssembly).HasFlag(FileAttributes.ReadOnly).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task A_second_prepare_of_the_same_version_makes_another_fresh_folder()
    {
        var first = await _store.PrepareAsync(_fixture.Feed, Id, Version, Digest, Token);
        var second = await _store.PrepareAsync(_fixture.Feed, Id, Version, Digest, Token);

        second.Folder.ShouldNotBe(first.Folder);
        Directory.Exists(first.Folder).ShouldBeTrue("the first release is left as it was");
        _store.ListFolders().ShouldBe([first.Folder, second.Folder]);
    }

    [Fact]
    public async Task A_tampered_package_is_refused_before_unpacking_and_leaves_no_folder()
    {
        var tampered = _fixture.TamperedFeed();

        var refused = await Should.ThrowAsync<ReleaseDigestMismatchException>(() => _store.PrepareAsync(tampered, Id, Version, Digest, Token));

        refused.Message.ShouldStartWith($"{Id} {Version} in {tampered.DisplayName} has SHA-512 ");
        refused.Message.ShouldContain($"but the manifest says {Digest[..12]}…");
        refused.Message.ShouldEndWith("the feed's copy was changed: refusing to deploy");
        refused.Message.ShouldNotContain('\n');
        Directory.GetFileSystemEntries(_store.Root).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_package_the_feed_lacks_says_to_publish_it()
    {
        var missing = await Should.ThrowAsync<RecipeException>(() => _store.PrepareAsync(_fixture.Feed, Id, "9.9.9", Digest, Token));

        missing.Message.ShouldBe($"{Id} 9.9.9 is not in {_fixture.Feed.DisplayName}; publish it there (the Publish stage) before deploying it");
        Directory.GetFileSystemEntries(_store.Root).ShouldBeEmpty();
    }

    [Fact]
    public async Task Prune_keeps_the_newest_releases_and_those_in_use()
    {
        var releases = new List<Release>();
        for (var i = 0; i < 4; i++)
        {
            releases.Add(await _store.PrepareAsync(_fixture.Feed, Id, Version, Digest, Token));
        }

        var removed = _store.Prune(keep: 1, inUse: [releases[0].Folder]);

        removed.ShouldBe([releases[1].Folder, releases[2].Folder]);
        _store.ListFolders().ShouldBe([releases[0].Folder, releases[3].Folder]);
    }
}
