using Recipes.Discovery;
using Recipes.Feeds;
using Recipes.Versioning;

namespace Recipes.Tests.Versioning;

/// <summary>
/// A version below what the team declared or released is refused, or let through with a warning when
/// allow-lower-version is set: on a repository whose release tag sits off the built branch.
/// </summary>
public sealed class VersionFloorTests
{
    [Fact]
    public void A_release_tag_off_the_branch_gives_a_version_below_VersionPrefix_which_is_refused_naming_both_and_the_fix()
    {
        using var repository = OffBranchReleaseRepository(out var solution);

        var version = repository.Calculator().Calculate(repository.Directory);
        var declared = new ProjectDiscovery().Discover(solution)
            .Where(project => project.DeclaredVersion is not null)
            .Select(project => (Path.GetRelativePath(repository.Directory, project.Path), project.DeclaredVersion!))
            .ToList();
        var error = Should.Throw<VersioningException>(() => VersionFloor.CheckDeclared(version.SemVer, declared, allowLower: false, _ => { }));

        // GitVersion counts from v1.1.0, the only tag main reaches; the project says 3.0.1.
        version.SemVer.ShouldStartWith("1.1.1-ci.");
        error.Message.ShouldBe(
            $"Version {version.SemVer} is lower than 3.0.1, the version {Path.Combine("src", "Acme.Lib", "Acme.Lib.csproj")} declares (Version/VersionPrefix); "
            + "set `next-version: 3.0.1` in GitVersion.yml or tag a commit this branch contains v3.0.1 (or set allow-lower-version=true to accept the lower version).");
    }

    [Fact]
    public void With_allow_lower_version_the_lower_version_passes_with_a_warning()
    {
        using var repository = OffBranchReleaseRepository(out var solution);
        var version = repository.Calculator().Calculate(repository.Directory);
        var declared = new ProjectDiscovery().Discover(solution).Select(project => (project.Name, project.DeclaredVersion ?? "")).ToList();
        var warnings = new List<string>();

        VersionFloor.CheckDeclared(version.SemVer, declared, allowLower: true, warnings.Add);

        warnings.ShouldHaveSingleItem().ShouldBe(
            $"Version {version.SemVer} is lower than 3.0.1, the version Acme.Lib declares (Version/VersionPrefix); going ahead because allow-lower-version is set.");
    }

    [Theory]
    [InlineData("3.0.1-ci.4")]
    [InlineData("3.0.1")]
    [InlineData("3.1.0-feature.2")]
    public void A_version_on_its_way_to_the_declared_one_or_past_it_passes(string version)
    {
        var warnings = new List<string>();

        VersionFloor.CheckDeclared(version, [("Acme.Lib.csproj", "3.0.1")], allowLower: false, warnings.Add);

        warnings.ShouldBeEmpty();
    }

    [Fact]
    public void No_project_declaring_a_version_or_none_readable_passes()
    {
        var warnings = new List<string>();

        VersionFloor.CheckDeclared("0.0.1-ci.1", [], allowLower: false, warnings.Add);
        VersionFloor.CheckDeclared("0.0.1-ci.1", [("Acme.Lib.csproj", "$(Unset)")], allowLower: false, warnings.Add);

        warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Only_a_version_the_team_s_files_set_is_declared_not_the_SDK_s_default()
    {
        using var repository = new TempRepository();
        repository.Write("Directory.Build.props", "<Project><PropertyGroup><Version>2.5.0</Version></PropertyGroup></Project>");
        var fromProps = repository.Project(Path.Combine("src", "FromProps", "FromProps.csproj"));
        var solution = repository.Slnx("Both.slnx", [fromProps]);
        using var bare = new TempRepository();
        var bareSolution = bare.Slnx("Bare.slnx", [bare.Project(Path.Combine("src", "Bare", "Bare.csproj"))]);

        new ProjectDiscovery().Discover(solution).ShouldHaveSingleItem().DeclaredVersion.ShouldBe("2.5.0");
        new ProjectDiscovery().Discover(bareSolution).ShouldHaveSingleItem().DeclaredVersion.ShouldBeNull();
    }

    [Fact]
    public async Task A_feed_holding_release_2_0_0_refuses_1_x_of_that_id_and_accepts_what_follows()
    {
        using var folder = TestGitRepository.CreateFolder();
        foreach (var version in new[] { "2.0.0", "2.1.0-ci.3" })
        {
            var packageFolder = Directory.CreateDirectory(Path.Combine(folder.Directory, "acme.lib", version)).FullName;
            File.WriteAllText(Path.Combine(packageFolder, $"acme.lib.{version}.nupkg"), "");
        }

        IPackageVersionListing feed = new FolderFeed(folder.Directory);
        var inFeed = await feed.ListVersionsAsync("Acme.Lib", CancellationToken.None);
        var error = Should.Throw<VersioningException>(() => VersionFloor.CheckFeed("Acme.Lib", "1.1.1-ci.49", inFeed, folder.Directory, allowLower: false, _ => { }));
        var warnings = new List<string>();
        VersionFloor.CheckFeed("Acme.Lib", "1.1.1-ci.49", inFeed, folder.Directory, allowLower: true, warnings.Add);
        VersionFloor.CheckFeed("Acme.Lib", "2.0.1-ci.1", inFeed, folder.Directory, allowLower: false, _ => throw new InvalidOperationException("no warning expected"));
        VersionFloor.CheckFeed("Acme.Other", "1.1.1-ci.49", await feed.ListVersionsAsync("Acme.Other", CancellationToken.None), folder.Directory, allowLower: false, _ => { });

        inFeed.Select(v => v.ToNormalizedString()).Order().ShouldBe(["2.0.0", "2.1.0-ci.3"]);
        error.Message.ShouldBe(
            $"Acme.Lib 1.1.1-ci.49 is lower than 2.0.0, already in the feed {folder.Directory}; "
            + "set `next-version: 2.0.1` in GitVersion.yml or tag a commit this branch contains v2.0.0 (or set allow-lower-version=true to accept the lower version).");
        warnings.ShouldHaveSingleItem().ShouldEndWith("going ahead because allow-lower-version is set.");
    }

    /// <summary>
    /// v1.1.0 on main's history, v3.0.0 on a release branch main never merged, and a project declaring VersionPrefix 3.0.1.
    /// </summary>
    private static TestGitRepository OffBranchReleaseRepository(out string solution)
    {
        var repository = TestGitRepository.Create();
        File.WriteAllText(Path.Combine(repository.Directory, "Directory.Build.props"), "<Project></Project>");
        File.WriteAllText(Path.Combine(repository.Directory, "Directory.Build.targets"), "<Project></Project>");
        repository.Commit("first");
        repository.Git("tag", "v1.1.0");
        repository.Git("checkout", "--quiet", "-b", "release/3.0");
        repository.Commit("release work");
        repository.Git("tag", "v3.0.0");
        repository.Git("checkout", "--quiet", "main");
        var project = Path.Combine(repository.Directory, "src", "Acme.Lib", "Acme.Lib.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <VersionPrefix>3.0.1</VersionPrefix>
              </PropertyGroup>
            </Project>
            """);
        solution = Path.Combine(repository.Directory, "Acme.slnx");
        File.WriteAllText(solution, """<Solution><Project Path="src/Acme.Lib/Acme.Lib.csproj" /></Solution>""");
        repository.Commit("library");
        return repository;
    }
}
