using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Feeds;

/// <summary>Publishers racing to put the same id and version into one folder feed: the feed keeps exactly one of them.</summary>
public sealed class FolderFeedRaceTests : IDisposable
{
    private const int Publishers = 8;
    private const string Id = "Contoso.Contested";
    private readonly TempDirectory _temp = new("recipes-folder-feed-race");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    public void Dispose()
    {
        _timeout.Dispose();
        _temp.Dispose();
    }

    private string FeedDirectory => _temp.Combine("feed");

    [Fact]
    public Task Of_eight_publishers_with_different_builds_of_one_version_exactly_one_wins_each_of_10_rounds() => RaceAsync(rounds: 10);

    /// <summary>The stress run: its 1,600 publishes through NuGet's push took 30 s on a busy two-core machine, too long for the fast suite.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public Task Of_eight_publishers_with_different_builds_of_one_version_exactly_one_wins_each_of_200_rounds() => RaceAsync(rounds: 200);

    private async Task RaceAsync(int rounds)
    {
        // Each round is a new version; each publisher has its own build (other bytes) of it.
        var builds = Enumerable.Range(0, rounds)
            .Select(round => Enumerable.Range(0, Publishers)
                .Select(publisher => TestPackages.Create(_temp.Combine("builds", $"{round}-{publisher}"), Id, $"1.0.{round}", $"build of publisher {publisher}"))
                .ToArray())
            .ToArray();
        var outcomes = new string?[rounds, Publishers];
        using var start = new Barrier(Publishers);

        var publishers = Enumerable.Range(0, Publishers).Select(publisher => Task.Factory.StartNew(() =>
        {
            var feed = new FeedPublisher(new FolderFeed(FeedDirectory));
            for (var round = 0; round < rounds; round++)
            {
                start.SignalAndWait(_timeout.Token);
                outcomes[round, publisher] = Outcome(() => feed.PublishAsync([builds[round][publisher]], _timeout.Token).GetAwaiter().GetResult());
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(publishers);

        for (var round = 0; round < rounds; round++)
        {
            var results = Enumerable.Range(0, Publishers).Select(publisher => outcomes[round, publisher]).ToList();
            results.Count(result => result == nameof(PublishResult.Pushed)).ShouldBe(1, $"round {round}: {string.Join(", ", results)}");
            results.Count(result => result == nameof(FeedConflictException)).ShouldBe(Publishers - 1, $"round {round}: {string.Join(", ", results)}");
            var winner = results.IndexOf(nameof(PublishResult.Pushed));
            var inFeed = Path.Combine(FeedDirectory, $"{Id}.1.0.{round}.nupkg");
            File.ReadAllBytes(inFeed).ShouldBe(File.ReadAllBytes(builds[round][winner]), $"round {round}: the feed holds the winner's bytes");
        }

        Directory.GetFileSystemEntries(FeedDirectory).Length.ShouldBe(rounds, "one package per version and no staging left behind");
    }

    /// <summary>What one publish did: its result, or the type of the exception that refused it.</summary>
    private static string Outcome(Func<IReadOnlyList<PublishedPackage>> publish)
    {
        try
        {
            return publish().ShouldHaveSingleItem().Result.ToString();
        }
        catch (RecipeException refused)
        {
            return refused.GetType().Name;
        }
    }
}
