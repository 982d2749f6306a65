using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>
/// A re-run of the same commit takes the version the last run computed; anything GitVersion reads that changed
/// (a tag, a commit, the branch, the configuration, a CI variable) computes it again. A calculator whose GitVersion
/// cannot be found shows which: it answers only from the kept result.
/// </summary>
public sealed class GitVersionResultCacheTests
{
    [Fact]
    public void A_second_calculation_of_the_same_commit_takes_the_last_result_without_starting_GitVersion()
    {
        using var repository = TestGitRepository.Create();
        repository.Commit("first");
        var first = repository.Calculator().Calculate(repository.Directory);
        using var emptyPackages = TestGitRepository.CreateFolder();
        var log = new List<string>();

        var again = WithoutGitVersion(emptyPackages, log).Calculate(repository.Directory);

        again.ShouldBe(first);
        log.ShouldContain(line => line.Contains("as the last run computed it", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a tag on the commit")]
    [InlineData("a new commit")]
    [InlineData("another branch at the same commit")]
    [InlineData("a changed configuration")]
    [InlineData("a CI server's branch variable")]
    public void Anything_the_version_depends_on_that_changed_computes_it_again(string change)
    {
        using var repository = TestGitRepository.Create();
        repository.Commit("first");
        var before = repository.Calculator().Calculate(repository.Directory);
        using var emptyPackages = TestGitRepository.CreateFolder();
        var variables = new Dictionary<string, string?>();
        switch (change)
        {
            case "a tag on the commit":
                repository.Git("tag", "v2.0.0");
                break;
            case "a new commit":
                repository.Commit("second");
                break;
            case "another branch at the same commit":
                repository.Git("checkout", "--quiet", "-b", "feature/login");
                break;
            case "a changed configuration":
                File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), "next-version: 3.0.0\n");
                break;
            default:
                variables["BRANCH_NAME"] = "release/1.0";
                break;
        }

        var failure = Should.Throw<VersioningException>(() => WithoutGitVersion(emptyPackages, null, variables).Calculate(repository.Directory));
        failure.Message.ShouldContain("GitVersion was not found");

        // With GitVersion the changed input gives its own version, and that is the one kept from then on.
        var after = new GitVersionCalculator(null, Environment(null, variables)).Calculate(repository.Directory);
        WithoutGitVersion(emptyPackages, null, variables).Calculate(repository.Directory).ShouldBe(after);
        if (change is "a tag on the commit" or "a new commit" or "a changed configuration")
        {
            after.SemVer.ShouldNotBe(before.SemVer);
        }
    }

    private static GitVersionCalculator WithoutGitVersion(TestGitRepository emptyPackages, List<string>? log, IReadOnlyDictionary<string, string?>? variables = null) =>
        new(line => log?.Add(line), Environment(emptyPackages.Directory, variables));

    private static Dictionary<string, string?> Environment(string? packages, IReadOnlyDictionary<string, string?>? variables)
    {
        var environment = new Dictionary<string, string?>(TestGitRepository.Environment);
        if (packages is not null)
        {
            environment["NUGET_PACKAGES"] = packages;
        }

        foreach (var (name, value) in variables ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return environment;
    }
}
