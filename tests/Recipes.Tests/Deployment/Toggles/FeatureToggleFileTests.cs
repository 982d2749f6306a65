using System.Text.Json.Nodes;
using Recipes.Deployment.Toggles;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Toggles;

public sealed class FeatureToggleFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-features");

    public void Dispose() => _temp.Dispose();

    private FeatureToggleFile File => FeatureToggleFile.For(_temp.Combine("state"), "staging");

    [Fact]
    public void For_puts_the_file_in_the_environments_state_folder()
    {
        File.Path.ShouldBe(_temp.Combine("state", "staging", "features.json"));
    }

    [Fact]
    public void Write_creates_the_file_in_the_Microsoft_feature_flag_schema()
    {
        File.Write("NewCheckout", FeatureExposure.ForPercentage(10));

        JsonNode.Parse(System.IO.File.ReadAllText(File.Path))!.ToJsonString().ShouldBe(
            """{"feature_management":{"feature_flags":[{"id":"NewCheckout","enabled":true,"conditions":{"client_filters":[{"name":"Microsoft.Percentage","parameters":{"Value":10}}]}}]}}""");
    }

    [Fact]
    public void Targeting_is_written_as_an_audience_of_users_groups_and_a_default_rollout()
    {
        File.Write("Beta", FeatureExposure.ForTargeting(new FeatureTargeting(["alice"], [new TargetedGroup("testers", 50)], 5)));

        JsonNode.Parse(System.IO.File.ReadAllText(File.Path))!["feature_management"]!["feature_flags"]![0]!.ToJsonString().ShouldBe(
            """{"id":"Beta","enabled":true,"conditions":{"client_filters":[{"name":"Microsoft.Targeting","parameters":{"Audience":{"Users":["alice"],"Groups":[{"Name":"testers","RolloutPercentage":50}],"DefaultRolloutPercentage":5}}}]}}""");
    }

    [Fact]
    public void Every_exposure_reads_back_as_written()
    {
        FeatureExposure[] exposures =
        [
            FeatureExposure.On,
            FeatureExposure.Off,
            FeatureExposure.ForPercentage(0),
            FeatureExposure.ForPercentage(100),
            FeatureExposure.ForTargeting(new FeatureTargeting(["alice", "bob"], [new TargetedGroup("beta", 25), new TargetedGroup("staff", 100)], 0)),
        ];

        foreach (var exposure in exposures)
        {
            File.Write("F", exposure);
            File.Read("F").ShouldBe(exposure);
        }

        File.Features().ShouldBe(["F"]);
    }

    [Fact]
    public void A_missing_file_or_feature_reads_as_not_set()
    {
        File.Read("F").ShouldBeNull();
        File.Features().ShouldBeEmpty();
        File.Write("Other", FeatureExposure.On);
        File.Read("F").ShouldBeNull();
    }

    [Fact]
    public void Write_keeps_other_sections_other_features_and_the_flags_other_properties()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File.Path)!);
        System.IO.File.WriteAllText(File.Path, """
            {
              // the app's own settings live here too
              "Logging": { "LogLevel": { "Default": "Warning" } },
              "feature_management": {
                "feature_flags": [
                  { "id": "Search", "enabled": true },
                  { "id": "NewCheckout", "enabled": false, "description": "the new checkout" },
                ]
              }
            }
            """);

        File.Write("NewCheckout", FeatureExposure.ForPercentage(30));

        var root = JsonNode.Parse(System.IO.File.ReadAllText(File.Path))!;
        root["Logging"]!["LogLevel"]!["Default"]!.GetValue<string>().ShouldBe("Warning");
        root["feature_management"]!["feature_flags"]![1]!["description"]!.GetValue<string>().ShouldBe("the new checkout");
        File.Read("Search").ShouldBe(FeatureExposure.On);
        File.Read("NewCheckout").ShouldBe(FeatureExposure.ForPercentage(30));
        File.Features().ShouldBe(["Search", "NewCheckout"]);
    }

    [Fact]
    public async Task Writes_replace_the_file_whole_so_a_reader_never_sees_half_of_it()
    {
        File.Write("F", FeatureExposure.On);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                JsonNode.Parse(System.IO.File.ReadAllText(File.Path)).ShouldNotBeNull();
                Interlocked.Increment(ref reads);
            }
        });

        // The reader must be reading while the writes happen, however late the thread pool starts it.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref reads) == 0 && started.Elapsed < TimeSpan.FromSeconds(10) && !reader.IsCompleted)
        {
            await Task.Delay(1);
        }

        for (var i = 0; i < 100; i++)
        {
            File.Write("F", FeatureExposure.ForTargeting(new FeatureTargeting([.. Enumerable.Range(0, i * 20).Select(n => $"user{n}")], [], i % 101)));
        }

        stop.Cancel();
        await reader;
        reads.ShouldBeGreaterThan(0);
        Directory.GetFiles(Path.GetDirectoryName(File.Path)!).ShouldBe([File.Path]);
    }

    [Fact]
    public void A_file_that_is_not_the_feature_managers_format_is_refused_with_what_to_fix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File.Path)!);
        System.IO.File.WriteAllText(File.Path, """{ "feature_management": { "feature_flags": { "F": true } } }""");

        var error = Should.Throw<FeatureReleaseException>(() => File.Write("F", FeatureExposure.On));
        error.Message.ShouldContain("'feature_management.feature_flags' must be an array");

        System.IO.File.WriteAllText(File.Path, "{ not json");
        Should.Throw<FeatureReleaseException>(() => File.Read("F")).Message.ShouldContain("is not valid JSON");
    }

    [Fact]
    public void A_feature_with_a_filter_Recipes_does_not_manage_is_refused_on_read()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File.Path)!);
        System.IO.File.WriteAllText(File.Path, """
            { "feature_management": { "feature_flags": [ { "id": "F", "enabled": true,
              "conditions": { "client_filters": [ { "name": "Microsoft.TimeWindow", "parameters": { "Start": "2026-01-01" } } ] } } ] } }
            """);

        Should.Throw<FeatureReleaseException>(() => File.Read("F")).Message.ShouldContain("uses the filter 'Microsoft.TimeWindow', which Recipes does not manage");
    }
}
