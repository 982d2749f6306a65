using Recipes.Tests.Support.NuGetServer;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// Bad input and HTTP feeds, on one sample repository whose commit stage has run once: each case runs the compiled
/// build program in a variant of it, or publishes its artifacts again, so no case pays for a full build.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PipelineInputTests : IClassFixture<PipelineInputTests.BuiltSample>
{
    private const string ApiKey = "rk_live_9f8e7d6c5b4a39281706";
    private readonly BuiltSample _sample;

    public PipelineInputTests(BuiltSample sample) => _sample = sample;

    public sealed class BuiltSample : IDisposable
    {
        public BuiltSample()
        {
            Repo = new SampleRepository();
            Repo.Write("NOTES.md", "A second commit, so that a depth-1 clone is shallow.\n");
            Repo.Commit("Second commit");
            CommitStage = Repo.Build("--target=CommitStage");
        }

        public SampleRepository Repo { get; }

        public ProcessResult CommitStage { get; }

        /// <summary>Runs the build program build.sh ran (no compile for each variant) in <paramref name="directory"/>.</summary>
        public ProcessResult RunProgram(string directory, IDictionary<string, string>? environment, params string[] args) =>
            ProcessRunner.Run("dotnet", [.. Repo.ProgramCommand(), .. args], directory, TimeSpan.FromMinutes(5), environment);


        public string Variant(string name)
        {
            var directory = Path.Combine(Repo.Root, name);
            RepositoryLayout.CopyDirectory(Repo.Repository, directory);
            return directory;
        }

        public void Dispose() => Repo.Dispose();
    }

    [Fact]
    public void The_commit_stage_of_the_fixture_passed()
    {
        _sample.CommitStage.ExitCode.ShouldBe(0, _sample.CommitStage.All);
    }

    [Fact]
    public void No_solution_is_a_one_line_error()
    {
        var directory = _sample.Variant("no-solution");
        File.Delete(Path.Combine(directory, "Library.sln"));

        var result = _sample.RunProgram(directory, null, "--target=Compile", $"--feed={_sample.Repo.Feed}");

        ShouldFailWithOneLine(result, "solution");
    }

    [Fact]
    public void Two_solutions_and_none_chosen_is_a_one_line_error_naming_both()
    {
        var directory = _sample.Variant("two-solutions");
        File.Copy(Path.Combine(directory, "Library.sln"), Path.Combine(directory, "Other.sln"));

        var result = _sample.RunProgram(directory, null, "--target=Compile", $"--feed={_sample.Repo.Feed}");

        var line = ShouldFailWithOneLine(result, "--solution");
        line.ShouldContain("Library.sln");
        line.ShouldContain("Other.sln");
    }

    [Fact]
    public void Not_a_git_repository_is_a_one_line_error_that_says_how_to_fix_it()
    {
        var directory = _sample.Variant("not-git");
        Directory.Delete(Path.Combine(directory, ".git"), recursive: true);

        var result = _sample.RunProgram(directory, null, "--target=Version");

        ShouldFailWithOneLine(result, "git init");
    }

    [Fact]
    public void A_shallow_clone_is_a_one_line_error_that_says_how_to_fix_it()
    {
        var directory = Path.Combine(_sample.Repo.Root, "shallow");
        var clone = ProcessRunner.Run("git", ["clone", "-q", "--depth", "1", $"file://{_sample.Repo.Repository}", directory], _sample.Repo.Root, TimeSpan.FromMinutes(1));
        clone.ExitCode.ShouldBe(0, clone.All);

        var result = _sample.RunProgram(directory, null, "--target=Version");

        ShouldFailWithOneLine(result, "unshallow");
    }

    [Fact]
    public void An_unreachable_feed_is_a_one_line_error_naming_it()
    {
        var result = _sample.RunProgram(_sample.Repo.Repository, null, "--target=Publish", "--exclusive", "--feed=http://127.0.0.1:9/v3/index.json");

        ShouldFailWithOneLine(result, "127.0.0.1:9");
    }

    [Fact]
    public async Task An_http_feed_receives_the_push_with_the_api_key_and_the_key_is_never_printed()
    {
        await using var server = await LocalNuGetServer.StartAsync(Path.Combine(_sample.Repo.Root, "http-feed"), ApiKey);
        var environment = new Dictionary<string, string> { ["RECIPES_FEED_API_KEY"] = ApiKey };

        var result = _sample.RunProgram(_sample.Repo.Repository, environment, "--target=Publish", "--exclusive", $"--feed={server.ServiceIndex}", "--verbosity=diagnostic");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("pushed");
        Directory.EnumerateFiles(Path.Combine(_sample.Repo.Root, "http-feed"), "*.nupkg", SearchOption.AllDirectories).ShouldNotBeEmpty();
        result.All.ShouldNotContain(ApiKey);
        string.Join('\n', server.RequestLog).ShouldNotContain(ApiKey);
    }

    [Fact]
    public async Task A_rejected_api_key_is_a_one_line_error_that_never_shows_the_key()
    {
        await using var server = await LocalNuGetServer.StartAsync(Path.Combine(_sample.Repo.Root, "http-feed-401"), ApiKey);
        const string wrongKey = "rk_live_wrong_0000000000000";
        var environment = new Dictionary<string, string> { ["RECIPES_FEED_API_KEY"] = wrongKey };

        var result = _sample.RunProgram(_sample.Repo.Repository, environment, "--target=Publish", "--exclusive", $"--feed={server.ServiceIndex}");
        var diagnostic = _sample.RunProgram(_sample.Repo.Repository, environment, "--target=Publish", "--exclusive", $"--feed={server.ServiceIndex}", "--verbosity=diagnostic");

        ShouldFailWithOneLine(result, "401");
        result.All.ShouldNotContain(wrongKey);
        diagnostic.ExitCode.ShouldNotBe(0);
        diagnostic.All.ShouldNotContain(wrongKey);
    }

    [Fact]
    public void A_version_below_the_project_s_VersionPrefix_stops_Version_unless_allow_lower_version_is_set()
    {
        var directory = _sample.Variant("version-prefix");
        var props = Path.Combine(directory, "Directory.Build.props");
        File.WriteAllText(props, File.ReadAllText(props).Replace("<Authors>", "<VersionPrefix>3.0.1</VersionPrefix><Authors>", StringComparison.Ordinal));

        var refused = _sample.RunProgram(directory, null, "--target=Version", "--exclusive", $"--feed={_sample.Repo.Feed}");
        var allowed = _sample.RunProgram(directory, null, "--target=Version", "--exclusive", $"--feed={_sample.Repo.Feed}", "--allow-lower-version=true");

        var line = ShouldFailWithOneLine(refused, "is lower than 3.0.1");
        line.ShouldContain("`next-version: 3.0.1` in GitVersion.yml");
        allowed.ExitCode.ShouldBe(0, allowed.All);
        allowed.All.ShouldContain("is lower than 3.0.1, the version src/Acme.Greeter/Acme.Greeter.csproj declares (Version/VersionPrefix); going ahead because allow-lower-version is set.");
    }

    [Fact]
    public void Publish_refuses_a_version_below_a_release_of_the_same_id_in_the_feed()
    {
        var feed = Path.Combine(_sample.Repo.Root, "feed-with-9.0.0");
        var released = Directory.CreateDirectory(Path.Combine(feed, "acme.greeter", "9.0.0")).FullName;
        File.WriteAllText(Path.Combine(released, "acme.greeter.9.0.0.nupkg"), "");

        var result = _sample.RunProgram(_sample.Repo.Repository, null, "--target=Publish", "--exclusive", $"--feed={feed}");

        var line = ShouldFailWithOneLine(result, "is lower than 9.0.0, already in the feed");
        line.ShouldContain("`next-version: 9.0.1`");
        Directory.EnumerateFiles(feed, "*.nupkg", SearchOption.AllDirectories).ShouldHaveSingleItem();
    }

    private static string ShouldFailWithOneLine(ProcessResult result, string expected) => PipelineErrors.ShouldFailWithOneLine(result, expected);
}
