using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>The version setting: a chosen version instead of GitVersion's, with git's commit facts when there are any.</summary>
public sealed class FixedVersionTests
{
    [Fact]
    public void A_chosen_version_carries_the_commit_of_the_repository()
    {
        using var repository = TestGitRepository.Create();
        var sha = repository.Commit("first");
        var log = new List<string>();

        var version = FixedVersion.Create("2.1.0-rc.1", repository.Directory, log.Add);

        version.ShouldBe(version with
        {
            SemVer = "2.1.0-rc.1",
            AssemblyVersion = "2.1.0.0",
            FileVersion = "2.1.0.0",
            InformationalVersion = $"2.1.0-rc.1+Sha.{sha}",
            Sha = sha,
            Branch = "main",
            IsRelease = false,
        });
        version.CommitDate.ShouldNotBeNull();
        log.ShouldContain(line => line.Contains("GitVersion was not run", StringComparison.Ordinal));
    }

    [Fact]
    public void Outside_git_a_chosen_version_has_no_commit()
    {
        using var folder = TestGitRepository.CreateFolder();

        var version = FixedVersion.Create("3.0.0+build.7", folder.Directory, _ => { });

        version.SemVer.ShouldBe("3.0.0");
        version.InformationalVersion.ShouldBe("3.0.0+build.7");
        version.IsRelease.ShouldBeTrue();
        version.Sha.ShouldBeEmpty();
        version.CommitDate.ShouldBeNull();
    }
}
