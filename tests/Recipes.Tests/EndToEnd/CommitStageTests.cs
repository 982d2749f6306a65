using System.Security.Cryptography;
using NuGet.Versioning;
using Recipes.Artifacts;
using Recipes.Tests.Support;
using Recipes.Versioning;

namespace Recipes.Tests.EndToEnd;

/// <summary>The commit and acceptance stages on a temporary git repository made from recipes/library.</summary>
[Trait("Category", "Slow")]
public sealed class CommitStageTests
{
    private const string Package = "Acme.Greeter";

    [Fact]
    public void Every_commit_gets_its_own_higher_version_in_the_feed_and_a_rerun_changes_nothing()
    {
        using var repo = new SampleRepository();

        var first = repo.Build();

        first.ExitCode.ShouldBe(0, first.All);
        var version = new GitVersionCalculator().Calculate(repo.Repository).SemVer;
        var published = FeedFile(repo, version);
        var manifest = ArtifactManifest.Read(Path.Combine(repo.Repository, "artifacts", "manifest.json"));
        var entry = manifest.Artifacts.ShouldHaveSingleItem();
        entry.Id.ShouldBe(Package);
        entry.Version.ShouldBe(version);
        entry.Sha512.ShouldBe(Sha512(published));
        manifest.Commit.ShouldBe(repo.Git("rev-parse", "HEAD"));
        first.Output.ShouldContain($"Acme.Greeter.AcceptanceTests against {version}: 2 passed, 0 failed");
        Directory.EnumerateFiles(Path.Combine(repo.Repository, "artifacts", "test-results", "Acme.Greeter.Tests"), "*.junit.xml", SearchOption.AllDirectories).ShouldNotBeEmpty();
        Directory.EnumerateFiles(Path.Combine(repo.Repository, "artifacts", "test-results", "Acme.Greeter.Tests"), "coverage.*.cobertura.xml", SearchOption.TopDirectoryOnly).ShouldNotBeEmpty();
        Directory.EnumerateDirectories(Path.Combine(repo.Repository, "artifacts", "test-results", "Acme.Greeter.Tests")).ShouldBeEmpty();

        var before = repo.FeedContents();
        var rerun = repo.Build("--target=CommitStage");
        rerun.ExitCode.ShouldBe(0, rerun.All);
        rerun.Output.ShouldContain("already in the feed");
        repo.FeedContents().ShouldBe(before);

        repo.Write("src/Acme.Greeter/Farewell.cs", "namespace Acme.Greeter;\n\n/// <summary>Says goodbye.</summary>\npublic static class Farewell\n{\n    /// <summary>A farewell.</summary>\n    public static string Say(string name) => $\"Goodbye, {name}.\";\n}\n");
        repo.Commit("Add a farewell");
        var second = repo.Build("--target=CommitStage", "--tag-commit=true");
        second.ExitCode.ShouldBe(0, second.All);
        var next = new GitVersionCalculator().Calculate(repo.Repository).SemVer;
        repo.Git("tag", "--list", $"v{next}").ShouldBe($"v{next}", "--tag-commit tags the published commit");
        NuGetVersion.Parse(next).ShouldBeGreaterThan(NuGetVersion.Parse(version));
        File.Exists(FeedFile(repo, next)).ShouldBeTrue();
        Sha512(published).ShouldBe(before.Single().Value, "the earlier version stays as it was");

        repo.Git("tag", "v1.0.0");
        var release = repo.Build("--target=CommitStage");
        release.ExitCode.ShouldBe(0, release.All);
        File.Exists(FeedFile(repo, "1.0.0")).ShouldBeTrue();
    }

    [Fact]
    public void A_failing_unit_test_stops_the_line_and_nothing_reaches_the_feed()
    {
        using var repo = new SampleRepository();
        repo.Write("tests/Acme.Greeter.Tests/BrokenTests.cs", "using Xunit;\n\nnamespace Acme.Greeter.Tests;\n\npublic sealed class BrokenTests\n{\n    [Fact]\n    public void Fails() => Assert.Equal(\"Hi\", Greeter.Greet(\"Ada\"));\n}\n");
        repo.Commit("Break a test");

        var result = repo.Build();

        result.ExitCode.ShouldNotBe(0, result.All);
        result.Error.ShouldContain("Fast tests failed in Acme.Greeter.Tests");
        repo.FeedContents().ShouldBeEmpty();
        Directory.Exists(Path.Combine(repo.Repository, "artifacts", "packages")).ShouldBeFalse();
    }

    [Fact]
    public void The_same_version_with_different_content_is_refused_and_the_original_stays_intact()
    {
        using var repo = new SampleRepository();
        var first = repo.Build("--target=CommitStage");
        first.ExitCode.ShouldBe(0, first.All);
        var before = repo.FeedContents();

        // Same commit, so the same version, but different bytes.
        repo.Write("src/Acme.Greeter/Greeter.cs", "namespace Acme.Greeter;\n\n/// <summary>Greets people.</summary>\npublic static class Greeter\n{\n    /// <summary>A greeting.</summary>\n    public static string Greet(string name) => $\"Hello, {name}!\";\n\n    /// <summary>A louder greeting.</summary>\n    public static string Shout(string name) => $\"HELLO, {name}!\";\n}\n");
        var second = repo.Build("--target=CommitStage");

        second.ExitCode.ShouldBe(1, second.All);
        second.Error.ShouldContain("Acme.Greeter");
        second.Error.ShouldContain("immutable");
        second.Output.ShouldContain("lib/net10.0/Acme.Greeter.dll (changed)");
        repo.FeedContents().ShouldBe(before);
    }

    [Fact]
    public void The_acceptance_stage_tests_the_package_in_the_feed_not_the_build_folder_and_refuses_one_the_manifest_does_not_name()
    {
        using var repo = new SampleRepository();
        var commit = repo.Build("--target=CommitStage");
        commit.ExitCode.ShouldBe(0, commit.All);
        var manifestPath = Path.Combine(repo.Repository, "artifacts", "manifest.json");
        var manifest = ArtifactManifest.Read(manifestPath);
        var version = manifest.Version;
        var acceptancePackages = Path.Combine(repo.Repository, "artifacts", "acceptance-packages", Package.ToLowerInvariant());

        // The feed's copy re-zipped with one more file: refused before any restore, and nothing of it is installed.
        var published = FeedFile(repo, version);
        var tampered = TestPackages.WithExtraFile(published, Path.Combine(repo.Root, "tampered"));
        File.Copy(tampered, published, overwrite: true);

        var refused = repo.Build("--target=AcceptanceStage");

        refused.ExitCode.ShouldBe(1, refused.All);
        refused.Error.ShouldContain(
            $"{Package} {version} in {repo.Feed} has SHA-512 {Sha512(tampered)[..12]}… but the manifest says {manifest.Artifacts[0].Sha512[..12]}…; the feed's copy was changed: refusing to test it",
            Case.Sensitive,
            refused.All);
        Directory.Exists(acceptancePackages).ShouldBeFalse(refused.All);

        // A broken package of the same version, which the manifest names, replaces the good one; the build folder stays good.
        var broken = Path.Combine(repo.Root, "broken");
        RepositoryLayout.CopyDirectory(repo.Repository, broken);
        File.WriteAllText(Path.Combine(broken, "src", "Acme.Greeter", "Greeter.cs"), "namespace Acme.Greeter;\n\n/// <summary>Broken.</summary>\npublic static class Greeter\n{\n    /// <summary>Wrong.</summary>\n    public static string Greet(string name) => \"Go away\";\n}\n");
        var pack = ProcessRunner.Run("dotnet", ["pack", "src/Acme.Greeter", "-c", "Release", $"-p:Version={version}", "-o", Path.Combine(broken, "out")], broken, TimeSpan.FromMinutes(3));
        pack.ExitCode.ShouldBe(0, pack.All);
        File.Copy(Path.Combine(broken, "out", $"{Package}.{version}.nupkg"), published, overwrite: true);
        (manifest with { Artifacts = [manifest.Artifacts[0] with { Sha512 = Sha512(published) }] }).Write(manifestPath);

        var acceptance = repo.Build("--target=AcceptanceStage");

        acceptance.ExitCode.ShouldBe(1, acceptance.All);
        acceptance.Error.ShouldContain($"Slow tests failed in Acme.Greeter.AcceptanceTests against the published {version}");
    }

    [Fact]
    public void The_service_recipe_publishes_the_service_as_a_deployable_package()
    {
        using var repo = new SampleRepository("service");

        var result = repo.Build("--target=CommitStage");

        result.ExitCode.ShouldBe(0, result.All);
        var manifest = ArtifactManifest.Read(Path.Combine(repo.Repository, "artifacts", "manifest.json"));
        var entry = manifest.Artifacts.ShouldHaveSingleItem();
        entry.Id.ShouldBe("Acme.Shop.Api");
        entry.Kind.ShouldBe("deployable");
        result.Output.ShouldContain("FastTests:  8 passed, 0 failed, 0 skipped");
        var package = Directory.EnumerateFiles(repo.Feed, "Acme.Shop.Api.*.nupkg").ShouldHaveSingleItem();
        Sha512(package).ShouldBe(entry.Sha512);
        using var archive = System.IO.Compression.ZipFile.OpenRead(package);
        archive.Entries.Select(e => e.FullName).ShouldContain("app/Acme.Shop.Api.dll");
        archive.Entries.Select(e => e.FullName).ShouldContain("app/appsettings.json");
        // The app reads its toggles through the feature manager, so the release must carry it.
        archive.Entries.Select(e => e.FullName).ShouldContain("app/Microsoft.FeatureManagement.dll");
    }

    private static string FeedFile(SampleRepository repo, string version)
    {
        var match = Directory.EnumerateFiles(repo.Feed, "*.nupkg", SearchOption.AllDirectories)
            .FirstOrDefault(f => Path.GetFileName(f).Equals($"{Package}.{version}.nupkg", StringComparison.OrdinalIgnoreCase));
        match.ShouldNotBeNull($"{Package}.{version}.nupkg is not in the feed: {string.Join(", ", repo.FeedContents().Keys)}");
        return match;
    }

    private static string Sha512(string path) => Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(path)));
}
