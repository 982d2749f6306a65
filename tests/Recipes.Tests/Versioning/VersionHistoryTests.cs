using NuGet.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>The recipe's default versioning over a real history: unique, increasing, releases from tags.</summary>
public sealed class VersionHistoryTests(VersionHistoryFixture history) : IClassFixture<VersionHistoryFixture>
{
    [Fact]
    public void Each_commit_on_main_gets_a_higher_pre_release_version()
    {
        var first = history.Versions["main-1"];
        var second = history.Versions["main-2"];

        first.SemVer.ShouldBe("0.0.1-ci.1");
        second.SemVer.ShouldBe("0.0.1-ci.2");
        ShouldBeAscending(first.SemVer, second.SemVer);
        first.IsRelease.ShouldBeFalse();
        second.IsRelease.ShouldBeFalse();
        first.Branch.ShouldBe("main");
    }

    [Fact]
    public void Each_commit_on_a_feature_branch_gets_a_higher_pre_release_version_labelled_with_the_branch()
    {
        var first = history.Versions["feature-1"];
        var second = history.Versions["feature-2"];

        first.SemVer.ShouldBe("0.0.1-foo.3");
        second.SemVer.ShouldBe("0.0.1-foo.4");
        ShouldBeAscending(first.SemVer, second.SemVer);
        second.Branch.ShouldBe("feature/foo");
        second.IsRelease.ShouldBeFalse();
    }

    [Fact]
    public void A_detached_head_still_gets_a_version_of_its_commit()
    {
        var detached = history.Versions["detached"];

        detached.SemVer.ShouldBe("0.0.1-detached.2");
        detached.Sha.ShouldBe(history.Shas["main-2"]);
        detached.Branch.ShouldBe("(no branch)");
        detached.IsRelease.ShouldBeFalse();
        NuGetVersion.Parse(detached.SemVer).IsPrerelease.ShouldBeTrue();
    }

    [Fact]
    public void A_version_tag_on_head_makes_a_release_and_the_next_commit_a_pre_release_of_the_next_patch()
    {
        var tagged = history.Versions["main-3"];
        var next = history.Versions["main-4"];

        tagged.SemVer.ShouldBe("1.0.0");
        tagged.IsRelease.ShouldBeTrue();
        tagged.AssemblyVersion.ShouldBe("1.0.0.0");
        tagged.FileVersion.ShouldBe("1.0.0.0");
        next.SemVer.ShouldBe("1.0.1-ci.1");
        next.IsRelease.ShouldBeFalse();
        next.AssemblyVersion.ShouldBe("1.0.0.0");
        next.FileVersion.ShouldBe("1.0.1.0");
    }

    [Fact]
    public void Versions_on_main_only_ever_go_up_across_a_release()
    {
        string[] onMain = ["main-1", "main-2", "main-3", "main-4"];
        var versions = onMain.Select(step => history.Versions[step].SemVer).ToList();

        versions.ShouldBeUnique();
        for (var index = 1; index < versions.Count; index++)
        {
            ShouldBeAscending(versions[index - 1], versions[index]);
        }
    }

    [Fact]
    public void Every_version_names_its_commit_by_full_sha_and_carries_its_date()
    {
        foreach (var (step, version) in history.Versions.Where(entry => entry.Key != "detached"))
        {
            version.Sha.ShouldBe(history.Shas[step]);
            version.Sha.Length.ShouldBe(40);
            version.InformationalVersion.ShouldStartWith(version.SemVer + "+");
            version.InformationalVersion.ShouldContain(history.Shas[step]);
            version.CommitDate.ShouldBe(history.Dates[step]);
        }
    }

    [Fact]
    public void The_default_configuration_is_announced_and_leaves_nothing_in_the_work_tree()
    {
        history.Log.ShouldContain(line => line.Contains("default configuration", StringComparison.Ordinal));
        history.StatusAfterwards.ShouldBeEmpty();
    }

    private static void ShouldBeAscending(string earlier, string later) =>
        NuGetVersion.Parse(later).CompareTo(NuGetVersion.Parse(earlier)).ShouldBePositive($"{later} should be higher than {earlier}");
}
