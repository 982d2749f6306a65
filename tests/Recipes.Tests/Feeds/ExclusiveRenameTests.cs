using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Feeds;

public sealed class ExclusiveRenameTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-exclusive-rename");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_free_name_is_taken_and_a_taken_one_is_refused_leaving_both_files_as_they_were()
    {
        var first = Write("first", "one");
        var second = Write("second", "two");
        var target = _temp.Combine("target");

        ExclusiveRename.TryMove(first, target).ShouldBeTrue();
        ExclusiveRename.TryMove(second, target).ShouldBeFalse();

        File.Exists(first).ShouldBeFalse("the moved file has only its new name");
        File.ReadAllText(second).ShouldBe("two", "the refused file stays where it was");
        File.ReadAllText(target).ShouldBe("one");
    }

    [Fact]
    public void Of_eight_movers_racing_to_one_name_exactly_one_wins_each_of_100_rounds()
    {
        const int movers = 8;
        const int rounds = 100;
        var winners = new int[rounds];
        using var start = new Barrier(movers);
        var threads = Enumerable.Range(0, movers).Select(mover => new Thread(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                var staged = Write($"{round}-{mover}", $"mover {mover}");
                start.SignalAndWait();
                if (ExclusiveRename.TryMove(staged, Target(round)))
                {
                    Interlocked.Increment(ref winners[round]);
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Enumerable.Range(0, rounds).Where(round => winners[round] != 1).Select(round => $"round {round}: {winners[round]} winners").ShouldBeEmpty();
        for (var round = 0; round < rounds; round++)
        {
            var staged = Enumerable.Range(0, movers).Select(mover => _temp.Combine($"{round}-{mover}")).Where(File.Exists).ToList();
            staged.Count.ShouldBe(movers - 1, "every loser's file stays in place, and the winner's has only its new name");
            File.ReadAllText(Target(round)).ShouldNotBeOneOf([.. staged.Select(File.ReadAllText)], "the target holds the winner's content");
        }
    }

    private string Target(int round) => _temp.Combine($"target-{round}");

    private string Write(string name, string content)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }
}
