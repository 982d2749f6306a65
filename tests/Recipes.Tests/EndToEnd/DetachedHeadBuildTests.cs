using Recipes.Tests.Versioning;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The real <c>./build.sh --target=Version</c> of recipes/library in a checkout made the way CI servers make theirs
/// (an origin remote, its branches fetched as remote-tracking branches, no local branch, HEAD detached at the commit
/// built), with each server's variables set on the build's process only. The history is
/// <code>
/// main:  Initial commit ── Second commit
///                               └── feature/foo: A feature commit
/// </code>
/// </summary>
[Trait("Category", "Slow")]
public sealed class DetachedHeadBuildTests(DetachedHeadBuildTests.Runs runs) : IClassFixture<DetachedHeadBuildTests.Runs>
{
    [Theory]
    [InlineData("GitHub Actions", "main", "0.0.1-ci.2")]
    [InlineData("GitHub Actions", "feature/foo", "0.0.1-foo.3")]
    [InlineData("Azure Pipelines", "main", "0.0.1-ci.2")]
    [InlineData("Azure Pipelines", "feature/foo", "0.0.1-foo.3")]
    [InlineData("GitLab CI", "main", "0.0.1-ci.2")]
    [InlineData("GitLab CI", "feature/foo", "0.0.1-foo.3")]
    [InlineData("Jenkins, GIT_BRANCH=origin/…", "feature/foo", "0.0.1-foo.3")]
    [InlineData("TeamCity, origin unreachable", "main", "0.0.1-ci.2")]
    public void On_CI_a_detached_head_at_a_branch_s_tip_gets_the_branch_s_version(string server, string branch, string version) =>
        ShouldHaveVersion(runs.Results[$"{server}: {branch}"], version, branch, runs.Tips[branch]);

    [Fact]
    public void Off_CI_a_detached_head_keeps_the_detached_label() =>
        ShouldHaveVersion(runs.Results["local: main"], "0.0.1-detached.2", "(no branch)", runs.Tips["main"]);

    private static void ShouldHaveVersion(Run run, string version, string branch, string sha)
    {
        run.Result.ExitCode.ShouldBe(0, run.Result.All);
        run.Result.Output.ShouldContain($"Version {version} ({branch} at {sha[..8]})", Case.Sensitive, run.Result.All);
        run.HeadAfterwards.ShouldBe(sha, "GitVersion may check out a branch, but never another commit");
    }

    /// <summary>One build: what it wrote, and the commit HEAD was at afterwards.</summary>
    public sealed record Run(ProcessResult Result, string HeadAfterwards);

    /// <summary>All the builds, once for the class; the first compiles the build project, the rest reuse it.</summary>
    public sealed class Runs : IDisposable
    {
        private readonly SampleRepository _repository = new();

        public Runs()
        {
            _repository.Commit("Second commit");
            var mainTip = Tips["main"] = _repository.Git("rev-parse", "HEAD");
            _repository.Git("checkout", "-q", "-b", "feature/foo");
            _repository.Commit("A feature commit");
            var featureTip = Tips["feature/foo"] = _repository.Git("rev-parse", "HEAD");

            // What actions/checkout, the Azure agent and the GitLab runner do: init, add origin, fetch, check out the SHA.
            var origin = Path.Combine(_repository.Root, "origin.git");
            _repository.Git("clone", "-q", "--bare", _repository.Repository, origin);
            _repository.Git("remote", "add", "origin", origin);
            _repository.Git("fetch", "-q", "origin");

            var github = new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_OUTPUT"] = Path.Combine(_repository.Root, "github-output"),
                ["GITHUB_STEP_SUMMARY"] = Path.Combine(_repository.Root, "step-summary.md"),
            };
            Build("GitHub Actions: main", mainTip, new(github) { ["GITHUB_REF"] = "refs/heads/main", ["GITHUB_REF_NAME"] = "main" });
            Build("GitHub Actions: feature/foo", featureTip, new(github) { ["GITHUB_REF"] = "refs/heads/feature/foo", ["GITHUB_REF_NAME"] = "feature/foo" });
            // The agent's temp folder takes the run summary: the test's own, not the machine's.
            Build("Azure Pipelines: main", mainTip, new() { ["TF_BUILD"] = "True", ["BUILD_SOURCEBRANCH"] = "refs/heads/main", ["AGENT_TEMPDIRECTORY"] = _repository.Root });
            Build("Azure Pipelines: feature/foo", featureTip, new() { ["TF_BUILD"] = "True", ["BUILD_SOURCEBRANCH"] = "refs/heads/feature/foo", ["AGENT_TEMPDIRECTORY"] = _repository.Root });
            Build("GitLab CI: main", mainTip, new() { ["GITLAB_CI"] = "true", ["CI_SERVER"] = "yes", ["CI_COMMIT_REF_NAME"] = "main" });
            Build("GitLab CI: feature/foo", featureTip, new() { ["GITLAB_CI"] = "true", ["CI_SERVER"] = "yes", ["CI_COMMIT_REF_NAME"] = "feature/foo" });

            // A freestyle job's Git plugin names the branch only as the remote's.
            Build("Jenkins, GIT_BRANCH=origin/…: feature/foo", featureTip, new() { ["JENKINS_URL"] = "https://jenkins.example/", ["GIT_BRANCH"] = "origin/feature/foo" });
            Build("local: main", mainTip, []);

            // GitVersion fetches on TeamCity unless told not to; the agent's remote needs credentials it may not have.
            _repository.Git("remote", "set-url", "origin", Path.Combine(_repository.Root, "unreachable.git"));
            Build("TeamCity, origin unreachable: main", mainTip, new() { ["TEAMCITY_VERSION"] = "2025.03" });
        }

        /// <summary>The SHA at the tip of each branch.</summary>
        public Dictionary<string, string> Tips { get; } = [];

        public Dictionary<string, Run> Results { get; } = [];

        public void Dispose() => _repository.Dispose();

        /// <summary>Checks out <paramref name="sha"/> detached, as a fresh CI checkout, and builds with only <paramref name="variables"/> of the CI ones.</summary>
        private void Build(string name, string sha, Dictionary<string, string> variables)
        {
            // GitVersion's normalisation leaves local branches behind and its cache would answer for them.
            var cache = Path.Combine(_repository.Repository, ".git", "gitversion_cache");
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }

            _repository.Git("checkout", "-q", "--detach", sha);
            foreach (var branch in _repository.Git("for-each-ref", "--format=%(refname:short)", "refs/heads").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                _repository.Git("branch", "-q", "-D", branch);
            }

            // Empty, not inherited: the test run itself may be on a CI server. Only the child build sees these.
            foreach (var variable in TestGitRepository.BuildServerVariables.Append("CI_SERVER"))
            {
                _repository.Environment[variable] = string.Empty;
            }

            foreach (var (variable, value) in variables)
            {
                _repository.Environment[variable] = value;
            }

            var result = _repository.Build("--target=Version");
            Results[name] = new Run(result, _repository.Git("rev-parse", "HEAD"));
        }
    }
}
