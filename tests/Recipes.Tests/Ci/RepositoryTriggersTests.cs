using Recipes.Ci;
using Recipes.Pipeline;
using Recipes.Pipeline.Settings;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Versioning;
using YamlDotNet.RepresentationModel;

namespace Recipes.Tests.Ci;

/// <summary>
/// The generated CI files start on the repository's own default branch and on the tags GitVersion reads as versions,
/// and fail their first step when RECIPES_FEED is unset; the sample repositories are real git repositories.
/// </summary>
public sealed class RepositoryTriggersTests : IDisposable
{
    private readonly List<TestGitRepository> _repositories = [];

    public void Dispose() => _repositories.ForEach(r => r.Dispose());

    [Fact]
    public void A_master_repository_with_unprefixed_tags_gets_workflows_on_master_and_digit_first_tags_on_every_server()
    {
        var repository = MasterRepository();
        repository.Git("tag", "1.7.3");

        var github = Generate("github", repository.Directory);
        var on = (YamlMappingNode)((YamlMappingNode)github["on"])["push"];
        Strings(on["branches"]).ShouldBe(["master"]);
        Strings(on["tags"]).ShouldBe(["v*", "V*", "[0-9]*"]);
        FirstRun((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)github["jobs"])["commit-stage"])["steps"], "run")
            .ShouldContain("if [ -z \"${RECIPES_FEED:-}\" ]; then echo \"::error::RECIPES_FEED is not set;");

        var azure = Generate("azure", repository.Directory);
        var trigger = (YamlMappingNode)azure["trigger"];
        Strings(((YamlMappingNode)trigger["branches"])["include"]).ShouldBe(["master"]);
        Strings(((YamlMappingNode)trigger["tags"])["include"]).ShouldBe(["v*", "V*", "0*", "1*", "2*", "3*", "4*", "5*", "6*", "7*", "8*", "9*"]);
        var azureCommit = ((YamlSequenceNode)azure["jobs"]).Cast<YamlMappingNode>().First();
        FirstRun((YamlSequenceNode)azureCommit["steps"], "script").ShouldContain("RECIPES_FEED is not set");

        var gitlab = Generate("gitlab", repository.Directory);
        var rules = ((YamlSequenceNode)((YamlMappingNode)gitlab["workflow"])["rules"]).Cast<YamlMappingNode>().Select(r => r["if"].ToString()).ToList();
        rules.ShouldBe(["$CI_COMMIT_BRANCH =~ /^(master)$/", "$CI_COMMIT_TAG =~ /^(v.*|V.*|[0-9].*)$/", "$CI_COMMIT_BRANCH"]);
        Strings(((YamlMappingNode)gitlab["commit-stage"])["script"])[0].ShouldStartWith("if [ -z \"${RECIPES_FEED:-}\" ]; then echo \"RECIPES_FEED is not set;");
    }

    [Fact]
    public void A_clone_takes_the_default_branch_from_origins_HEAD_whatever_branch_it_is_on()
    {
        var origin = MasterRepository();
        origin.Git("branch", "main");
        var clone = TestGitRepository.CloneOf(origin);
        _repositories.Add(clone);
        clone.Git("checkout", "--quiet", "-b", "feature/x");

        RepositoryTriggers.DefaultBranch(clone.Directory).ShouldBe("master");
    }

    [Fact]
    public void Without_origin_the_branch_is_main_or_master_whichever_exists_then_the_current_one_then_main()
    {
        var master = MasterRepository();
        master.Git("checkout", "--quiet", "--detach");
        RepositoryTriggers.DefaultBranch(master.Directory).ShouldBe("master");

        master.Git("checkout", "--quiet", "-b", "trunk");
        master.Git("branch", "--quiet", "-D", "master");
        RepositoryTriggers.DefaultBranch(master.Directory).ShouldBe("trunk");

        var folder = TestGitRepository.CreateFolder();
        _repositories.Add(folder);
        RepositoryTriggers.DefaultBranch(folder.Directory).ShouldBe("main");
    }

    [Theory]
    [InlineData("[vV]?", new[] { "v*", "V*", "[0-9]*" })]
    [InlineData("v", new[] { "v*" })]
    [InlineData("", new[] { "[0-9]*" })]
    [InlineData("^release-", new[] { "release-*" })]
    [InlineData("rel\\+v?", new[] { "rel[+]v*", "rel[+]*" })]
    [InlineData("(v|ver)", new[] { "*" })]
    public void The_tag_filters_follow_GitVersions_tag_prefix(string prefix, string[] expected) =>
        RepositoryTriggers.TagPatterns(prefix).ShouldBe(expected);

    [Fact]
    public void The_teams_GitVersion_yml_tag_prefix_sets_the_tag_trigger_and_a_broken_one_is_one_line()
    {
        var repository = MasterRepository();
        File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), "next-version: 3.0.1\ntag-prefix: 'release-'\n");

        var on = (YamlMappingNode)((YamlMappingNode)Generate("github", repository.Directory)["on"])["push"];
        Strings(on["tags"]).ShouldBe(["release-*"]);

        File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), "tag-prefix: [unclosed\n");
        var error = Should.Throw<RecipeConfigurationException>(() => Generate("github", repository.Directory));
        error.Message.ShouldStartWith(Path.Combine(repository.Directory, "GitVersion.yml") + " is not valid YAML");
        error.Message.ShouldNotContain("\n");
    }

    private TestGitRepository MasterRepository()
    {
        var repository = TestGitRepository.Create();
        _repositories.Add(repository);
        repository.Git("symbolic-ref", "HEAD", "refs/heads/master");
        repository.Commit("first");
        return repository;
    }

    private static YamlMappingNode Generate(string server, string repositoryRoot) =>
        GenerateCiTests.Parse(CiArguments.Generate(server, new RecipeSettings(), repositoryRoot, []));

    private static List<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Select(n => n.ToString()).ToList();

    private static string FirstRun(YamlSequenceNode steps, string key) =>
        ((YamlMappingNode)steps[0])[key].ToString();
}
