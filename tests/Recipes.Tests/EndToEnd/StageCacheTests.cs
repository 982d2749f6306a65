using System.Security.Cryptography;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// The stage cache and the test projects run at once, on one sample repository with three fast test projects that
/// every test shares: built once in full by the fixture, then re-run the same way or with one input changed (and put back).
/// </summary>
[Trait("Category", "Slow")]
public sealed class StageCacheTests(StageCacheTests.ThreeTestProjects sample) : IClassFixture<StageCacheTests.ThreeTestProjects>
{
    private static readonly string[] Projects = ["Acme.Greeter.Tests", "Acme.Greeter.MoreTests", "Acme.Greeter.OtherTests"];

    [Fact]
    public void The_three_test_projects_run_at_once_and_each_leaves_its_own_results()
    {
        var output = sample.First.Output;
        output.ShouldContain("Running 3 test projects, 3 at a time");
        foreach (var project in Projects)
        {
            output.ShouldContain($"──── {project}: passed in");
            sample.FirstResults[project].ShouldContain(f => f.EndsWith(".trx", StringComparison.Ordinal));
            sample.FirstResults[project].ShouldContain(f => f.EndsWith(".junit.xml", StringComparison.Ordinal));
            sample.FirstResults[project].ShouldContain(f => f.StartsWith("coverage.", StringComparison.Ordinal) && f.EndsWith(".cobertura.xml", StringComparison.Ordinal));
        }

        output.ShouldContain("Fast tests: 3 passed, 0 failed, 0 skipped");
        // Packed while the tests ran, and moved into artifacts/ after they passed: the staging folder is gone.
        output.IndexOf("Packing beside the fast tests", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("Fast tests: 3 passed", StringComparison.Ordinal));
        sample.FirstPackages.ShouldNotBeEmpty();
        Directory.Exists(Path.Combine(sample.Repository.Repository, "artifacts", ".packing")).ShouldBeFalse();
    }

    [Fact]
    public void A_rerun_of_the_same_commit_replays_every_stage_and_packs_what_a_clean_run_packs()
    {
        var rerun = sample.Run("--target=Package");

        foreach (var stage in new[] { "Compile", "FastTests", "Package" })
        {
            rerun.Output.ShouldMatch($@"{stage}: from cache \(key [0-9a-f]{{12}}\)");
        }

        rerun.Output.ShouldContain("Fast tests: 3 passed, 0 failed, 0 skipped (from cache)");
        Directory.EnumerateFiles(Path.Combine(sample.Repository.Repository, "artifacts", "test-results", "Acme.Greeter.OtherTests"), "*.trx").ShouldNotBeEmpty();
        var cached = sample.Packages();
        cached.ShouldBe(sample.FirstPackages);

        var clean = sample.Run("--target=Package", "--no-cache");
        clean.Output.ShouldNotContain("from cache");
        clean.Output.ShouldContain("Fast tests: 3 passed");
        sample.Packages().ShouldBe(cached, "the packages' SHA-512 after a cache hit equal those of a run without the cache");
    }

    [Fact]
    public void A_changed_source_file_reruns_compile_and_the_miss_names_the_file()
    {
        var path = Path.Combine(sample.Repository.Repository, "src", "Acme.Greeter", "Greeter.cs");
        var original = File.ReadAllText(path);
        File.WriteAllText(path, original + "\n// changed\n");
        try
        {
            var run = sample.Run("--target=Compile");
            run.Output.ShouldContain("Compile: not in cache");
            run.Output.ShouldContain("file src/Acme.Greeter/Greeter.cs changed");
        }
        finally
        {
            File.WriteAllText(path, original);
        }
    }

    [Fact]
    public void A_changed_setting_reruns_the_stage_that_reads_it_and_the_miss_names_the_setting()
    {
        var run = sample.Run("--target=FastTests", "--fast-test-filter=FullyQualifiedName~Greet");

        run.Output.ShouldContain("Compile: from cache (key ");
        run.Output.ShouldContain("FastTests: not in cache");
        run.Output.ShouldContain("setting fast-test-filter changed ((unset) -> FullyQualifiedName~Greet)");
        run.Output.ShouldContain("Fast tests: 3 passed");
    }

    [Fact]
    public void Another_artifacts_folder_replays_compile_and_reruns_package_naming_the_setting()
    {
        using var folder = sample.RemovedAfterwards("out");
        var run = sample.Run("--target=Package", "--artifacts=out");

        run.Output.ShouldContain("Compile: from cache (key ");
        var miss = run.Output.Split('\n').Single(line => line.Contains("Package: not in cache", StringComparison.Ordinal));
        miss.ShouldContain("setting artifacts changed (artifacts -> out)");
        Directory.EnumerateFiles(Path.Combine(folder.Path, "packages"), "*.nupkg").ShouldNotBeEmpty("a replay would have put them back under artifacts/");
    }

    [Fact]
    public void A_setting_only_package_reads_replays_compile_and_fast_tests_and_reruns_package_naming_it()
    {
        var run = sample.Run("--target=Package", "--ready-to-run=true");

        run.Output.ShouldContain("Compile: from cache (key ");
        run.Output.ShouldContain("FastTests: from cache (key ");
        var miss = run.Output.Split('\n').Single(line => line.Contains("Package: not in cache", StringComparison.Ordinal));
        miss.ShouldContain("setting ready-to-run changed (false -> true)");
    }

    [Fact]
    public void A_cache_in_a_dot_folder_of_the_working_tree_as_on_GitLab_is_no_input_so_a_rerun_replays()
    {
        using var folder = sample.RemovedAfterwards(".recipes-cache");
        sample.Run("--target=Compile", "--cache-directory=.recipes-cache").Output.ShouldContain("Compile: not in cache (key ");

        var rerun = sample.Run("--target=Compile", "--cache-directory=.recipes-cache");

        rerun.Output.ShouldContain("Compile: from cache (key ", Case.Sensitive, "the first run's entry, now in the working tree, is no input of the second's key");
    }

    [Fact]
    public void An_added_msbuild_property_reruns_compile_and_the_miss_names_the_property()
    {
        var run = sample.Run("--target=Compile", "--msbuild-properties=CacheTestMarker=1");

        var miss = run.Output.Split('\n').Single(line => line.Contains("Compile: not in cache", StringComparison.Ordinal));
        miss.ShouldContain("MSBuild property CacheTestMarker added");
        miss.ShouldNotContain("-> ", Case.Sensitive, "a property's value may be a secret: only its name is shown");
    }

    [Fact]
    public void Another_sdk_version_in_global_json_reruns_compile_and_the_miss_names_the_sdk()
    {
        var globalJson = Path.Combine(sample.Repository.Repository, "global.json");
        File.WriteAllText(globalJson, """{ "sdk": { "version": "10.0.100", "rollForward": "latestFeature" } }""");
        try
        {
            var run = sample.Run("--target=Compile");
            run.Output.ShouldContain("Compile: not in cache");
            run.Output.ShouldMatch(@"SDK changed \(\S+ -> \S+, global.json 10.0.100 rollForward latestFeature\)");
        }
        finally
        {
            File.Delete(globalJson);
        }
    }

    [Fact]
    public void A_failing_project_among_three_stops_the_line_with_the_same_one_line_error_and_nothing_packed_beside_it_is_kept()
    {
        var repo = sample.Repository;
        var artifacts = Path.Combine(repo.Repository, "artifacts");
        var packages = Path.Combine(artifacts, "packages");
        if (Directory.Exists(packages))
        {
            Directory.Delete(packages, recursive: true);
        }

        var feed = repo.FeedContents();
        repo.Write("tests/Acme.Greeter.OtherTests/Broken.cs", "using Xunit;\n\nnamespace Acme.Greeter.OtherTests;\n\npublic sealed class Broken\n{\n    [Fact]\n    public void Fails() => Assert.Equal(\"Hi\", Greeter.Greet(\"Ada\"));\n}\n");
        try
        {
            var run = sample.Run("--target=CommitStage");
            run.ExitCode.ShouldNotBe(0, run.All);
            OneLineError.LineOf(run.Error).ShouldStartWith(
                "Error: Task 'FastTests' failed: Fast tests failed in Acme.Greeter.OtherTests (3 passed, 1 failed, 0 skipped); nothing will be packaged or published. Results: ");
            // The packing ran beside the failing tests, and left nothing: no package anywhere in artifacts/, none pushed.
            run.Output.ShouldContain("Packing beside the fast tests");
            Directory.Exists(packages).ShouldBeFalse();
            Directory.EnumerateFiles(artifacts, "*.nupkg", SearchOption.AllDirectories).ShouldBeEmpty();
            Directory.Exists(Path.Combine(artifacts, ".packing")).ShouldBeFalse();
            repo.FeedContents().ShouldBe(feed);
            foreach (var project in Projects)
            {
                Directory.EnumerateFiles(Path.Combine(repo.Repository, "artifacts", "test-results", project), "*.trx").ShouldNotBeEmpty();
            }
        }
        finally
        {
            File.Delete(Path.Combine(repo.Repository, "tests", "Acme.Greeter.OtherTests", "Broken.cs"));
        }
    }

    /// <summary>The sample with two more fast test projects, built once in full (no cache yet) with the three run at once.</summary>
    public sealed class ThreeTestProjects : IDisposable
    {
        public ThreeTestProjects()
        {
            Repository.AddTestProject("Acme.Greeter.MoreTests");
            Repository.AddTestProject("Acme.Greeter.OtherTests", "Assert.StartsWith(\"Hello\", Greeter.Greet(\"Grace\"))");
            First = Run("--target=Package");
            FirstResults = Projects.ToDictionary(
                p => p,
                p => Directory.EnumerateFiles(Path.Combine(Repository.Repository, "artifacts", "test-results", p)).Select(Path.GetFileName).OfType<string>().ToList());
            FirstPackages = Packages();
        }

        public SampleRepository Repository { get; } = new();

        public ProcessResult First { get; }

        public Dictionary<string, List<string>> FirstResults { get; }

        public Dictionary<string, string> FirstPackages { get; }

        /// <summary>Runs the build with the three test projects at once whatever the cores, and checks that it succeeded unless it is expected to fail.</summary>
        public ProcessResult Run(params string[] args)
        {
            var result = Repository.Build([.. args, "--test-parallelism=3"]);
            if (result.ExitCode != 0 && !File.Exists(Path.Combine(Repository.Repository, "tests", "Acme.Greeter.OtherTests", "Broken.cs")))
            {
                throw new InvalidOperationException($"./build.sh {string.Join(' ', args)} failed:\n{result.All}");
            }

            return result;
        }

        /// <summary>File name and SHA-512 of each package the last run left in artifacts/packages.</summary>
        public Dictionary<string, string> Packages() =>
            Directory.EnumerateFiles(Path.Combine(Repository.Repository, "artifacts", "packages"), "*.nupkg")
                .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(f))));

        /// <summary>A folder of the repository that a test's run writes, deleted when disposed: left there, it would be an input of the next run.</summary>
        public FolderRemoval RemovedAfterwards(string relative) => new(Path.Combine(Repository.Repository, relative));

        public void Dispose() => Repository.Dispose();
    }

    /// <summary>Deletes <see cref="Path"/> (and all below it), if it exists, when disposed.</summary>
    public sealed class FolderRemoval(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose()
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }
}
