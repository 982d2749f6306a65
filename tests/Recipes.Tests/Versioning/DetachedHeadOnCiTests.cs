using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>
/// CI servers check out the commit they build, not its branch, and name the branch in variables of their own.
/// Each test versions a fresh clone (GitVersion rearranges the branches of the clone it runs in on CI) of
/// <code>
/// main:  one ── two
///                └── feature/foo: foo one
/// </code>
/// whose HEAD is detached and which has no local branches, as the servers' checkouts leave it.
/// </summary>
public sealed class DetachedHeadOnCiTests(DetachedHeadOnCiTests.Origin origin) : IClassFixture<DetachedHeadOnCiTests.Origin>
{
    [Theory]
    [InlineData("GITHUB_ACTIONS=true;GITHUB_REF=refs/heads/{0}", "main", "0.0.1-ci.2")]
    [InlineData("GITHUB_ACTIONS=true;GITHUB_REF=refs/heads/{0}", "feature/foo", "0.0.1-foo.3")]
    [InlineData("TF_BUILD=True;BUILD_SOURCEBRANCH=refs/heads/{0}", "main", "0.0.1-ci.2")]
    [InlineData("TF_BUILD=True;BUILD_SOURCEBRANCH=refs/heads/{0}", "feature/foo", "0.0.1-foo.3")]
    [InlineData("GITLAB_CI=true;CI_COMMIT_REF_NAME={0}", "main", "0.0.1-ci.2")]
    [InlineData("GITLAB_CI=true;CI_COMMIT_REF_NAME={0}", "feature/foo", "0.0.1-foo.3")]
    [InlineData("JENKINS_URL=https://jenkins.example/;BRANCH_NAME={0}", "main", "0.0.1-ci.2")]
    [InlineData("JENKINS_URL=https://jenkins.example/;GIT_BRANCH=origin/{0}", "main", "0.0.1-ci.2")]
    [InlineData("JENKINS_URL=https://jenkins.example/;GIT_BRANCH=origin/{0}", "feature/foo", "0.0.1-foo.3")]
    public void On_CI_a_detached_head_gets_the_version_of_the_branch_the_server_names(string variables, string branch, string expected)
    {
        using var clone = origin.DetachedCloneAt(branch);

        var version = Calculate(clone, string.Format(System.Globalization.CultureInfo.InvariantCulture, variables, branch));

        version.SemVer.ShouldBe(expected);
        version.Branch.ShouldBe(branch);
        version.Sha.ShouldBe(origin.Tips[branch]);
        clone.Git("rev-parse", "HEAD").ShouldBe(origin.Tips[branch], "GitVersion may check out a branch, but never another commit");
    }

    [Fact]
    public void Off_CI_a_detached_head_keeps_the_detached_label()
    {
        using var clone = origin.DetachedCloneAt("main");

        var version = Calculate(clone, variables: null);

        version.SemVer.ShouldBe("0.0.1-detached.2");
        version.Branch.ShouldBe("(no branch)");
        clone.Git("status", "--short", "--branch").ShouldStartWith("## HEAD (no branch)");
    }

    [Fact]
    public void On_TeamCity_GitVersion_never_fetches_so_an_unreachable_origin_does_not_fail_the_build()
    {
        // GitVersion fetches from origin on TeamCity unless told not to; a remote that cannot be reached (no
        // network, no credentials outside the server's checkout) made it fail with a LibGit2Sharp stack trace.
        using var clone = origin.DetachedCloneAt("main");
        clone.Git("remote", "set-url", "origin", Path.Combine(clone.Directory, "no-such-remote.git"));

        var version = Calculate(clone, "TEAMCITY_VERSION=2025.03");

        version.SemVer.ShouldBe("0.0.1-ci.2");
    }

    private static BuildVersion Calculate(TestGitRepository clone, string? variables)
    {
        var environment = new Dictionary<string, string?>(TestGitRepository.Environment);
        foreach (var pair in variables?.Split(';') ?? [])
        {
            var parts = pair.Split('=', 2);
            environment[parts[0]] = parts[1];
        }

        return new GitVersionCalculator(null, environment).Calculate(clone.Directory);
    }

    /// <summary>The repository the clones are made from, once for the class.</summary>
    public sealed class Origin : IDisposable
    {
        private readonly TestGitRepository repository = TestGitRepository.Create();

        public Origin()
        {
            repository.Commit("one");
            Tips["main"] = repository.Commit("two");
            repository.Git("checkout", "--quiet", "-b", "feature/foo");
            Tips["feature/foo"] = repository.Commit("foo one");
            repository.Git("checkout", "--quiet", "main");
        }

        /// <summary>The SHA at the tip of each branch.</summary>
        public Dictionary<string, string> Tips { get; } = [];

        /// <summary>A clone with HEAD detached at the tip of <paramref name="branch"/> and only remote-tracking branches.</summary>
        internal TestGitRepository DetachedCloneAt(string branch)
        {
            var clone = TestGitRepository.CloneOf(repository);
            clone.Git("checkout", "--quiet", "--detach", Tips[branch]);
            clone.Git("branch", "--quiet", "--delete", "--force", "main");
            return clone;
        }

        public void Dispose() => repository.Dispose();
    }
}
