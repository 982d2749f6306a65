using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>
/// One repository grown the way a real one is, with the version computed after each step (GitVersion takes most of
/// a second per run, so the history is built and versioned once for all tests of the class):
/// <code>
/// main:         one ── two ─────────── three (tag v1.0.0) ── four
///                        └── feature/foo: foo-one ── foo-two
/// </code>
/// plus HEAD detached at "two", as CI servers check out a SHA.
/// </summary>
public sealed class VersionHistoryFixture : IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));
    private readonly TestGitRepository repository = TestGitRepository.Create();

    public VersionHistoryFixture()
    {
        var calculator = repository.Calculator(Log);
        void Commit(string message, string step)
        {
            Dates[step] = Start.AddDays(Dates.Count);
            Shas[step] = repository.Commit(message, Dates[step]);
        }

        void CommitAndCalculate(string message, string step)
        {
            Commit(message, step);
            Versions[step] = calculator.Calculate(repository.Directory);
        }

        CommitAndCalculate("one", "main-1");
        CommitAndCalculate("two", "main-2");

        repository.Git("checkout", "--quiet", "-b", "feature/foo");
        CommitAndCalculate("foo one", "feature-1");
        CommitAndCalculate("foo two", "feature-2");

        repository.Git("checkout", "--quiet", "--detach", Shas["main-2"]);
        Versions["detached"] = calculator.Calculate(repository.Directory);

        repository.Git("checkout", "--quiet", "main");
        Commit("three", "main-3");
        repository.Git("tag", "v1.0.0");
        Versions["main-3"] = calculator.Calculate(repository.Directory);
        CommitAndCalculate("four", "main-4");

        StatusAfterwards = repository.Git("status", "--porcelain", "--ignored");
    }

    /// <summary>Versions by step: main-1 … main-4, feature-1, feature-2, detached.</summary>
    public Dictionary<string, BuildVersion> Versions { get; } = [];

    /// <summary>Commit SHAs by step.</summary>
    public Dictionary<string, string> Shas { get; } = [];

    /// <summary>The commit dates the steps were given.</summary>
    public Dictionary<string, DateTimeOffset> Dates { get; } = [];

    /// <summary>What the calculator logged.</summary>
    public List<string> Log { get; } = [];

    /// <summary>git status after all the runs, to show GitVersion left nothing in the work tree.</summary>
    public string StatusAfterwards { get; }

    public void Dispose() => repository.Dispose();
}
