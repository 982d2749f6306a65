using Recipes.Pipeline;
using Recipes.Pipeline.Caching;
using Recipes.Pipeline.Settings;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>The stage cache's store on its own: hits, misses and what they name, eviction, what it refuses to keep.</summary>
public sealed class StageCacheStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new("recipes-stage-cache");
    private readonly List<string> _log = [];

    private string Repository => Directory.CreateDirectory(_folder.Combine("repo")).FullName;

    private StageCache Cache(long limit = long.MaxValue) => new(_folder.Combine("cache"), Repository, limit, _log.Add);

    private static StageInputs Inputs(string greeter = "hash-1", string configuration = "Release") => new StageInputs()
        .Add(StageInputs.FilePrefix + "src/Greeter.cs", greeter)
        .Add(StageInputs.SettingPrefix + "configuration", configuration)
        .Add(StageInputs.Sdk, "10.0.401");

    private string WriteOutput(string relative, string content)
    {
        var path = Path.Combine(Repository, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void A_first_run_misses_saying_there_is_no_entry_and_the_same_inputs_then_replay_the_outputs()
    {
        var cache = Cache();
        cache.Find("Compile", Inputs()).ShouldBeNull();
        _log.Last().ShouldStartWith("Compile: not in cache (key ");
        _log.Last().ShouldEndWith("no earlier entry for this stage and repository");

        var output = WriteOutput("src/bin/Release/Greeter.dll", "built");
        cache.Save("Compile", Inputs(), [Path.Combine(Repository, "src", "bin", "Release")]);
        File.Delete(output);

        var hit = cache.Find("Compile", Inputs()).ShouldNotBeNull();
        _log.Last().ShouldBe($"Compile: from cache (key {StageCache.Short(Inputs().Key)})");
        hit.RestoreInto(Repository);
        File.ReadAllText(output).ShouldBe("built");
    }

    [Fact]
    public void A_miss_names_the_changed_file_and_the_setting_with_its_values()
    {
        var cache = Cache();
        cache.Save("Compile", Inputs(), [WriteOutput("out.txt", "x")]);

        cache.Find("Compile", Inputs(greeter: "hash-2", configuration: "Debug")).ShouldBeNull();

        _log.Last().ShouldContain("file src/Greeter.cs changed, setting configuration changed (Release -> Debug)");
    }

    [Fact]
    public void Variables_and_properties_are_kept_as_hashes_and_named_without_their_values()
    {
        var cache = Cache();
        cache.Save("Compile", Inputs().AddHashed(StageInputs.VariablePrefix + "NUGET_PACKAGES", "s3cr3t-one").AddHashed(StageInputs.PropertyPrefix + "ApiKey", "s3cr3t-two"), [WriteOutput("out.txt", "x")]);

        cache.Find("Compile", Inputs().AddHashed(StageInputs.VariablePrefix + "NUGET_PACKAGES", "s3cr3t-three").AddHashed(StageInputs.PropertyPrefix + "ApiKey", "s3cr3t-four")).ShouldBeNull();

        _log.Last().ShouldEndWith("MSBuild property ApiKey changed, environment variable NUGET_PACKAGES changed");
        _log.ShouldAllBe(line => !line.Contains("s3cr3t"));
        Directory.EnumerateFiles(_folder.Combine("cache"), "*.json", SearchOption.AllDirectories)
            .ShouldAllBe(file => !File.ReadAllText(file).Contains("s3cr3t"));
    }

    [Fact]
    public void Beyond_the_size_limit_the_entry_used_least_recently_goes_first()
    {
        var cache = Cache(limit: 1500);
        var output = WriteOutput("out.bin", new string('x', 1000));
        cache.Save("Compile", Inputs("a"), [output]);
        cache.Find("Compile", Inputs("a")).ShouldNotBeNull();
        cache.Save("Package", Inputs("b"), [output]);

        cache.Find("Compile", Inputs("a")).ShouldBeNull("the older entry was removed to keep the cache under 1500 bytes");
        _log.ShouldContain(line => line.StartsWith("Stage cache over its limit (0 MB): removed the entry used least recently", StringComparison.Ordinal));
        cache.Find("Package", Inputs("b")).ShouldNotBeNull();
    }

    [Fact]
    public void An_output_outside_the_repository_is_not_kept()
    {
        var outside = _folder.Combine("elsewhere.txt");
        File.WriteAllText(outside, "x");
        var cache = Cache();

        cache.Save("Package", Inputs(), [outside]);

        _log.Last().ShouldBe($"Package: not kept in the cache, as its output {outside} is outside the repository");
        cache.Find("Package", Inputs()).ShouldBeNull();
    }

    [Fact]
    public void The_cache_settings_are_read_and_a_cache_folder_inside_the_repository_is_refused_unless_a_dot_folder()
    {
        var settings = RecipeSettingsResolver.Resolve(new RecipeSettings(), Repository, new Dictionary<string, string>
        {
            ["no-cache"] = "true",
            ["test-parallelism"] = "3",
            ["cache-size-limit"] = "10",
        }, Recipes.Hosting.Internal.EnvironmentVariables.From(new Dictionary<string, string>())).Settings;
        settings.NoCache.ShouldBeTrue();
        settings.TestParallelism.ShouldBe(3);
        settings.CacheSizeLimitMegabytes.ShouldBe(10);

        var error = Should.Throw<RecipeConfigurationException>(() => RecipeSettingsResolver.Resolve(
            new RecipeSettings(), Repository, new Dictionary<string, string> { ["cache-directory"] = "cache" }, Recipes.Hosting.Internal.EnvironmentVariables.From(new Dictionary<string, string>())));
        error.Message.ShouldBe("Setting 'cache-directory' from command line --cache-directory: 'cache' is inside the repository; choose a folder outside it, such as ~/.recipes/cache, or, where the CI server caches only the project's folder (GitLab), a dot-folder such as .recipes-cache.");
        RecipeSettingsResolver.Resolve(new RecipeSettings(), Repository, new Dictionary<string, string> { ["cache-directory"] = ".recipes-cache" }, Recipes.Hosting.Internal.EnvironmentVariables.From(new Dictionary<string, string>()))
            .Settings.CacheDirectory.ShouldBe(".recipes-cache");

        Should.Throw<RecipeConfigurationException>(() => RecipeSettingsResolver.Resolve(
            new RecipeSettings(), Repository, new Dictionary<string, string> { ["test-parallelism"] = "0" }, Recipes.Hosting.Internal.EnvironmentVariables.From(new Dictionary<string, string>())))
            .Message.ShouldBe("Setting 'test-parallelism' from command line --test-parallelism: '0' is not a whole number above 0.");
    }

    public void Dispose() => _folder.Dispose();
}
