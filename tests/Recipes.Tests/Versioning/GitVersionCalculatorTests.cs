using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>Release tags and a repository's own GitVersion configuration, each in a repository of its own.</summary>
public sealed class GitVersionCalculatorTests
{
    [Theory]
    [InlineData("v2.3.4", "2.3.4", "2.3.0.0", "2.3.4.0")]
    [InlineData("V10.0.1", "10.0.1", "10.0.0.0", "10.0.1.0")]
    [InlineData("4.5.6", "4.5.6", "4.5.0.0", "4.5.6.0")]
    public void A_version_tag_on_head_gives_exactly_that_release(string tag, string semVer, string assemblyVersion, string fileVersion)
    {
        using var repository = TestGitRepository.Create();
        repository.Commit("first");
        var sha = repository.Commit("second");
        repository.Git("tag", tag);

        var version = repository.Calculator().Calculate(repository.Directory);

        version.SemVer.ShouldBe(semVer);
        version.IsRelease.ShouldBeTrue();
        version.AssemblyVersion.ShouldBe(assemblyVersion);
        version.FileVersion.ShouldBe(fileVersion);
        version.InformationalVersion.ShouldContain(sha);
    }

    [Theory]
    [InlineData("GitVersion.yml")]
    [InlineData("GitVersion.yaml")]
    [InlineData(".GitVersion.yml")]
    public void A_partial_repository_configuration_keeps_the_recipe_s_defaults_for_what_it_leaves_out(string fileName)
    {
        using var repository = TestGitRepository.Create();
        var teamFile = Path.Combine(repository.Directory, fileName);
        File.WriteAllText(teamFile, "next-version: 3.0.1\n");
        repository.Commit("first");
        var log = new List<string>();

        var onMain = repository.Calculator(log).Calculate(repository.Directory);
        repository.Git("checkout", "--quiet", "-b", "feature/login");
        repository.Commit("login page");
        repository.Commit("login form");
        var onFeature = repository.Calculator().Calculate(repository.Directory);

        // next-version comes from the team; the ci label on main and the counted label on feature branches from the recipe.
        onMain.SemVer.ShouldBe("3.0.1-ci.1");
        onFeature.SemVer.ShouldBe("3.0.1-login.3");
        File.ReadAllText(teamFile).ShouldBe("next-version: 3.0.1\n");
        log.ShouldContain(line => line.Contains(fileName, StringComparison.Ordinal) && line.Contains("laid over", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_setting_of_a_full_repository_configuration_wins_over_the_recipe_s_defaults()
    {
        using var repository = TestGitRepository.Create();
        File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), """
            workflow: GitHubFlow/v1
            mode: ContinuousDelivery
            next-version: 4.2.0
            assembly-versioning-scheme: MajorMinorPatch
            branches:
              main:
                label: beta
              feature:
                label: preview
                mode: ContinuousDelivery
            """);
        repository.Commit("first");

        var onMain = repository.Calculator().Calculate(repository.Directory);
        repository.Git("checkout", "--quiet", "-b", "feature/login");
        repository.Commit("login page");
        var onFeature = repository.Calculator().Calculate(repository.Directory);

        onMain.SemVer.ShouldBe("4.2.0-beta.1");
        onMain.AssemblyVersion.ShouldBe("4.2.0.0");
        onFeature.SemVer.ShouldBe("4.2.0-preview.2");
    }

    [Fact]
    public void A_repository_configuration_that_is_not_a_map_is_named()
    {
        using var repository = TestGitRepository.Create();
        File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), "- next-version\n");
        repository.Commit("first");

        var error = Should.Throw<VersioningException>(() => repository.Calculator().Calculate(repository.Directory));

        error.Message.ShouldContain(Path.Combine(repository.Directory, "GitVersion.yml"));
        error.Message.ShouldContain("top level must be a map");
    }

    [Fact]
    public void A_chosen_configuration_file_replaces_the_repository_s_own()
    {
        using var repository = TestGitRepository.Create();
        File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), "next-version: 3.0.0\n");
        Directory.CreateDirectory(Path.Combine(repository.Directory, "build"));
        File.WriteAllText(Path.Combine(repository.Directory, "build", "release.yml"), "next-version: 5.0.0\n");
        repository.Commit("first");
        var log = new List<string>();

        var version = repository.Calculator(log).Calculate(repository.Directory, "build/release.yml");

        version.SemVer.ShouldStartWith("5.0.0");
        log.ShouldContain(line => line.Contains("release.yml (gitversion-config)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_chosen_configuration_file_is_named()
    {
        using var repository = TestGitRepository.Create();
        repository.Commit("first");

        var error = Should.Throw<VersioningException>(() => repository.Calculator().Calculate(repository.Directory, "missing.yml"));

        error.Message.ShouldContain(Path.Combine(repository.Directory, "missing.yml"));
    }

    [Fact]
    public void A_folder_inside_the_work_tree_gets_the_version_of_the_repository()
    {
        using var repository = TestGitRepository.Create();
        var sha = repository.Commit("first");
        var inside = Directory.CreateDirectory(Path.Combine(repository.Directory, "src", "Library")).FullName;

        var version = repository.Calculator().Calculate(inside);

        version.SemVer.ShouldBe("0.0.1-ci.1");
        version.Sha.ShouldBe(sha);
    }

    [Fact]
    public void A_broken_configuration_fails_with_GitVersion_s_own_reason_on_one_line()
    {
        using var repository = TestGitRepository.Create();
        File.WriteAllText(Path.Combine(repository.Directory, "GitVersion.yml"), "mode: Bogus\n");
        repository.Commit("first");

        var failure = Should.Throw<VersioningException>(() => repository.Calculator().Calculate(repository.Directory));

        failure.Message.ShouldContain(repository.Directory);
        failure.Message.ShouldContain("Invalid enum scalar 'Bogus'");
        failure.Message.ShouldNotContain("\n");
    }
}
