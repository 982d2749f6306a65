using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>Folders that cannot be versioned fail up front, on one line that names the folder and the fix.</summary>
public sealed class RepositoryProblemTests
{
    [Fact]
    public void A_folder_outside_any_repository_is_told_to_git_init_and_commit()
    {
        using var folder = TestGitRepository.CreateFolder();

        var failure = Should.Throw<VersioningException>(() => folder.Calculator().Calculate(folder.Directory));

        failure.Message.ShouldContain(folder.Directory);
        failure.Message.ShouldContain("not inside a git repository");
        failure.Message.ShouldContain("git init");
        failure.Message.ShouldContain("commit");
        failure.Message.ShouldContain("clone");
        ShouldBeOneLine(failure);
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_named()
    {
        using var folder = TestGitRepository.CreateFolder();
        var missing = Path.Combine(folder.Directory, "missing");

        var failure = Should.Throw<VersioningException>(() => folder.Calculator().Calculate(missing));

        failure.Message.ShouldContain(missing);
        failure.Message.ShouldContain("does not exist");
        ShouldBeOneLine(failure);
    }

    [Fact]
    public void A_repository_without_commits_is_told_to_commit_first()
    {
        using var repository = TestGitRepository.Create();

        var failure = Should.Throw<VersioningException>(() => repository.Calculator().Calculate(repository.Directory));

        failure.Message.ShouldContain(repository.Directory);
        failure.Message.ShouldContain("no commits yet");
        failure.Message.ShouldContain("commit first");
        ShouldBeOneLine(failure);
    }

    [Fact]
    public void A_shallow_clone_is_told_how_to_get_the_full_history()
    {
        using var source = TestGitRepository.Create();
        source.Commit("first");
        source.Commit("second");
        using var clone = TestGitRepository.ShallowCloneOf(source);

        var failure = Should.Throw<VersioningException>(() => clone.Calculator().Calculate(clone.Directory));

        failure.Message.ShouldContain(clone.Directory);
        failure.Message.ShouldContain("shallow");
        failure.Message.ShouldContain("git fetch --unshallow");
        failure.Message.ShouldContain("fetch-depth: 0");
        ShouldBeOneLine(failure);
    }

    [Fact]
    public void Missing_GitVersion_names_the_path_looked_for_and_says_to_restore()
    {
        using var repository = TestGitRepository.Create();
        repository.Commit("first");
        using var emptyPackages = TestGitRepository.CreateFolder();
        var environment = new Dictionary<string, string?>(TestGitRepository.Environment) { ["NUGET_PACKAGES"] = emptyPackages.Directory };
        var expected = Path.Combine(emptyPackages.Directory, "gitversion.msbuild", "6.8.2", "tools", "net10.0", "gitversion.dll");

        var failure = Should.Throw<VersioningException>(() => new GitVersionCalculator(null, environment).Calculate(repository.Directory));

        failure.Message.ShouldContain(expected);
        failure.Message.ShouldContain("dotnet restore");
        ShouldBeOneLine(failure);
    }

    private static void ShouldBeOneLine(Exception failure) =>
        failure.Message.ShouldNotContain("\n");
}
