using System.Net;
using System.Net.Sockets;
using Recipes.Feeds;
using Recipes.Tests.Support;
using Recipes.Tests.Support.NuGetServer;

namespace Recipes.Tests.Feeds;

/// <summary>HttpFeed and FeedPublisher against a real (in-process) NuGet v3 server.</summary>
public sealed class HttpFeedTests : IClassFixture<NuGetServerFixture>, IDisposable
{
    private const int Limit = 30_000;
    private static readonly HttpFeedRetryPolicy QuickRetries = new(Attempts: 3, FirstDelay: TimeSpan.FromMilliseconds(20));
    private readonly NuGetServerFixture _fixture;
    private readonly List<string> _log = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(25));

    public HttpFeedTests(NuGetServerFixture fixture)
    {
        _fixture = fixture;
        Server.FailNextRequests(0, 200);
    }

    private LocalNuGetServer Server => _fixture.Server;

    private CancellationToken Token => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact(Timeout = Limit)]
    public async Task A_missing_package_is_pushed_and_the_feed_serves_the_same_bytes()
    {
        var package = NewPackage("Pushed");
        var feed = Feed(NuGetServerFixture.ApiKey);

        var published = await new FeedPublisher(feed, _log.Add).PublishAsync([package], Token);

        published.ShouldHaveSingleItem().Result.ShouldBe(PublishResult.Pushed);
        var local = PackageFiles.Read(package);
        (await feed.GetSha512Async(local.Id, local.Version, Token)).ShouldBe(local.Sha512);
        Server.RequestLog.ShouldContain("PUT /api/v2/package/ 201");
        _log.ShouldContain(line => line.StartsWith($"Pushed {local.Id} 1.0.0 to {Server.ServiceIndex}"));
    }

    [Fact(Timeout = Limit)]
    public async Task A_pushed_package_downloads_byte_for_byte_and_a_missing_one_is_false()
    {
        var package = PackageFiles.Read(NewPackage("Downloaded"));
        var feed = Feed(NuGetServerFixture.ApiKey);
        await feed.PushAsync(package, Token);

        using var copy = new MemoryStream();
        (await feed.DownloadAsync(package.Id, package.Version, copy, Token)).ShouldBeTrue();
        copy.ToArray().ShouldBe(await File.ReadAllBytesAsync(package.Path, Token));
        (await feed.DownloadAsync(package.Id, "9.9.9", new MemoryStream(), Token)).ShouldBeFalse();
    }

    [Fact(Timeout = Limit)]
    public async Task A_rerun_finds_the_package_already_present_and_pushes_nothing()
    {
        var package = NewPackage("Rerun");
        await new FeedPublisher(Feed(NuGetServerFixture.ApiKey)).PublishAsync([package], Token);
        var before = Server.RequestLog.Count;

        var again = await new FeedPublisher(Feed(NuGetServerFixture.ApiKey), _log.Add).PublishAsync([TestPackages.CopyTo(package, _fixture.NewDirectory("copy"))], Token);

        again.ShouldHaveSingleItem().Result.ShouldBe(PublishResult.AlreadyPresent);
        Server.RequestLog.Skip(before).ShouldNotContain(line => line.StartsWith("PUT"));
        _log.ShouldContain(line => line.Contains("already in the feed"));
    }

    [Fact(Timeout = Limit)]
    public async Task A_different_build_of_a_published_version_is_a_conflict_and_nothing_is_pushed()
    {
        var id = NuGetServerFixture.UniqueId("Conflict");
        var first = PackageFiles.Read(TestPackages.Create(_fixture.NewDirectory("first"), id, "1.0.0"));
        await new FeedPublisher(Feed(NuGetServerFixture.ApiKey)).PublishAsync([first.Path], Token);
        var directory = _fixture.NewDirectory("second");
        var unrelated = TestPackages.Create(directory, NuGetServerFixture.UniqueId("Innocent"), "1.0.0");
        var rebuilt = PackageFiles.Read(TestPackages.Create(directory, id, "1.0.0", "different content"));
        var before = Server.RequestLog.Count;

        var conflict = await Should.ThrowAsync<FeedConflictException>(
            new FeedPublisher(Feed(NuGetServerFixture.ApiKey)).PublishAsync([unrelated, rebuilt.Path], Token));

        conflict.Message.ShouldContain($"{id} 1.0.0");
        conflict.Message.ShouldContain(first.Sha512[..12]);
        conflict.Message.ShouldContain(rebuilt.Sha512[..12]);
        conflict.Message.ShouldContain("immutable");
        conflict.Message.ShouldEndWith($"Files that differ:\n  content/{id}.txt (changed)");
        Server.RequestLog.Skip(before).ShouldNotContain(line => line.StartsWith("PUT"));
    }

    [Fact(Timeout = Limit)]
    public async Task A_409_for_identical_content_counts_as_already_present()
    {
        var package = NewPackage("Raced");
        var feed = Feed(NuGetServerFixture.ApiKey);
        await feed.PushAsync(PackageFiles.Read(package), Token);

        // The first look misses the package, as when another publisher pushed it a moment later or the feed is slow to show it.
        var published = await new FeedPublisher(new FeedThatMissesTheFirstLook(feed), _log.Add).PublishAsync([package], Token);

        published.ShouldHaveSingleItem().Result.ShouldBe(PublishResult.AlreadyPresent);
        Server.RequestLog.ShouldContain("PUT /api/v2/package/ 409");
    }

    [Fact(Timeout = Limit)]
    public async Task A_409_for_different_content_is_a_conflict()
    {
        var id = NuGetServerFixture.UniqueId("RacedConflict");
        var feed = Feed(NuGetServerFixture.ApiKey);
        await feed.PushAsync(PackageFiles.Read(TestPackages.Create(_fixture.NewDirectory("theirs"), id, "2.0.0")), Token);
        var ours = TestPackages.Create(_fixture.NewDirectory("ours"), id, "2.0.0", "ours");

        var conflict = await Should.ThrowAsync<FeedConflictException>(
            new FeedPublisher(new FeedThatMissesTheFirstLook(feed)).PublishAsync([ours], Token));

        conflict.Message.ShouldContain($"{id} 2.0.0 is already in {feed.DisplayName} with different content");
    }

    [Fact(Timeout = Limit)]
    public async Task A_wrong_api_key_is_reported_as_rejected_once_without_retrying()
    {
        var package = NewPackage("WrongKey");
        var before = Server.RequestLog.Count;

        var refused = await Should.ThrowAsync<FeedAuthenticationException>(
            new FeedPublisher(Feed("not-the-key-5e1d"), _log.Add).PublishAsync([package], Token));

        refused.Message.ShouldBe($"the feed {Server.ServiceIndex} rejected the API key (401); check RECIPES_FEED_API_KEY");
        Server.RequestLog.Skip(before).Count(line => line.StartsWith("PUT")).ShouldBe(1);
    }

    [Fact(Timeout = Limit)]
    public async Task A_missing_api_key_says_to_set_one()
    {
        var refused = await Should.ThrowAsync<FeedAuthenticationException>(
            new FeedPublisher(Feed(apiKey: null)).PublishAsync([NewPackage("NoKey")], Token));

        refused.Message.ShouldContain("without an API key (401); set RECIPES_FEED_API_KEY");
    }

    [Fact(Timeout = Limit)]
    public async Task Injected_503s_are_retried_until_the_push_succeeds()
    {
        var package = NewPackage("Retried");
        var before = Server.RequestLog.Count;
        Server.FailNextRequests(2, 503);

        var published = await new FeedPublisher(Feed(NuGetServerFixture.ApiKey), _log.Add).PublishAsync([package], Token);

        published.ShouldHaveSingleItem().Result.ShouldBe(PublishResult.Pushed);
        var requests = Server.RequestLog.Skip(before).ToList();
        requests.Take(2).ShouldAllBe(line => line == "GET /v3/index.json 503");
        requests.ShouldContain("PUT /api/v2/package/ 201");
        _log.ShouldContain(line => line.Contains("503 Service Unavailable") && line.Contains("trying again"));
    }

    [Fact(Timeout = Limit)]
    public async Task A_push_throttled_with_429_is_retried()
    {
        var package = NewPackage("Throttled");
        var before = Server.RequestLog.Count;
        Server.FailNextRequests(2, 429, "PUT");

        var published = await new FeedPublisher(Feed(NuGetServerFixture.ApiKey), _log.Add).PublishAsync([package], Token);

        published.ShouldHaveSingleItem().Result.ShouldBe(PublishResult.Pushed);
        var pushes = Server.RequestLog.Skip(before).Where(line => line.StartsWith("PUT")).ToList();
        pushes.ShouldBe(["PUT /api/v2/package/ 429", "PUT /api/v2/package/ 429", "PUT /api/v2/package/ 201"]);
        _log.ShouldContain(line => line.Contains("429 Too Many Requests") && line.Contains("attempt 3 of 3"), string.Join("\n", _log));
    }

    [Fact(Timeout = Limit)]
    public async Task A_feed_that_keeps_failing_is_unavailable_after_the_last_attempt()
    {
        var before = Server.RequestLog.Count;
        Server.FailNextRequests(1000, 503);

        var unavailable = await Should.ThrowAsync<FeedUnavailableException>(
            new FeedPublisher(Feed(NuGetServerFixture.ApiKey)).PublishAsync([NewPackage("Down")], Token));

        Server.FailNextRequests(0, 200);
        unavailable.Message.ShouldStartWith($"the feed {Server.ServiceIndex} did not answer GET {Server.ServiceIndex}: 503 Service Unavailable (3 attempts over ");
        Server.RequestLog.Skip(before).Count().ShouldBe(3);
    }

    [Fact(Timeout = Limit)]
    public async Task A_push_that_keeps_failing_is_unavailable_and_names_the_package()
    {
        var package = PackageFiles.Read(NewPackage("PushDown"));
        var before = Server.RequestLog.Count;
        Server.FailNextRequests(1000, 502, "PUT");

        var unavailable = await Should.ThrowAsync<FeedUnavailableException>(Feed(NuGetServerFixture.ApiKey).PushAsync(package, Token));

        Server.FailNextRequests(0, 200);
        unavailable.Message.ShouldStartWith($"the feed {Server.ServiceIndex} did not answer the push of {package.Id} 1.0.0: 502 Bad Gateway (3 attempts over ");
        Server.RequestLog.Skip(before).Count(line => line.StartsWith("PUT")).ShouldBe(3);
    }

    [Fact(Timeout = Limit)]
    public async Task An_unreachable_feed_names_the_url_and_what_was_tried()
    {
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/v3/index.json");

        var unavailable = await Should.ThrowAsync<FeedUnavailableException>(
            new FeedPublisher(new HttpFeed(closed, NuGetServerFixture.ApiKey, _log.Add, QuickRetries)).PublishAsync([NewPackage("Unreachable")], Token));

        unavailable.Message.ShouldStartWith($"the feed {closed} did not answer GET {closed}: Connection refused");
        unavailable.Message.ShouldContain("3 attempts over");
        unavailable.Message.ShouldEndWith("check the URL and that the feed is up, then publish again");
    }

    [Fact(Timeout = Limit)]
    public async Task The_api_key_appears_in_no_log_line_exception_or_display_name()
    {
        const string wrongKey = "wrong-key-b94c71d0e2";
        var texts = new List<string>();
        var keyInUrl = new UriBuilder(Server.ServiceIndex) { UserName = "publisher", Password = NuGetServerFixture.ApiKey }.Uri;
        var id = NuGetServerFixture.UniqueId("Secret");

        async Task Attempt(IPackageFeed feed, params string[] packages)
        {
            texts.Add(feed.DisplayName);
            try
            {
                await new FeedPublisher(feed, texts.Add).PublishAsync(packages, Token);
            }
            catch (RecipeException e)
            {
                texts.Add(e.ToString());
            }
        }

        Server.FailNextRequests(1, 503);
        await Attempt(new HttpFeed(Server.ServiceIndex, NuGetServerFixture.ApiKey, texts.Add, QuickRetries), TestPackages.Create(_fixture.NewDirectory("a"), id, "1.0.0"));
        await Attempt(new HttpFeed(Server.ServiceIndex, NuGetServerFixture.ApiKey, texts.Add, QuickRetries), TestPackages.Create(_fixture.NewDirectory("b"), id, "1.0.0", "other"));
        await Attempt(new HttpFeed(Server.ServiceIndex, wrongKey, texts.Add, QuickRetries), NewPackage("SecretWrong"));
        await Attempt(new HttpFeed(keyInUrl, NuGetServerFixture.ApiKey, texts.Add, QuickRetries), NewPackage("SecretInUrl"));
        await Attempt(new HttpFeed(new Uri($"http://127.0.0.1:{ClosedPort()}/v3/index.json"), NuGetServerFixture.ApiKey, texts.Add, QuickRetries), NewPackage("SecretDown"));
        try
        {
            PackageFeeds.Open($"http://u:{NuGetServerFixture.ApiKey}@[bad/v3/index.json", NuGetServerFixture.ApiKey);
        }
        catch (FeedConfigurationException e)
        {
            texts.Add(e.ToString());
        }

        texts.ShouldContain(line => line.Contains("PUT"), "NuGet's own push lines are part of what is checked");
        texts.ShouldContain(line => line.Contains("rejected the API key"));
        texts.ShouldContain(line => line.Contains("did not answer"));
        texts.ShouldContain(line => line.Contains("not a valid URL"));
        texts.ShouldAllBe(text => !text.Contains(NuGetServerFixture.ApiKey) && !text.Contains(wrongKey));
    }

    private HttpFeed Feed(string? apiKey) => new(Server.ServiceIndex, apiKey, _log.Add, QuickRetries);

    private string NewPackage(string stem) =>
        TestPackages.Create(_fixture.NewDirectory("packages"), NuGetServerFixture.UniqueId(stem), "1.0.0");

    /// <summary>A port nothing listens on: bound for a moment by us, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Reports the package absent the first time it is asked, then tells the truth.</summary>
    private sealed class FeedThatMissesTheFirstLook(IPackageFeed inner) : IPackageFeed
    {
        private bool _looked;

        public string DisplayName => inner.DisplayName;

        public async Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken)
        {
            if (!_looked)
            {
                _looked = true;
                return null;
            }

            return await inner.GetSha512Async(id, version, cancellationToken);
        }

        public Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken) =>
            inner.DownloadAsync(id, version, destination, cancellationToken);

        public Task PushAsync(PackageFile package, CancellationToken cancellationToken) => inner.PushAsync(package, cancellationToken);
    }
}
