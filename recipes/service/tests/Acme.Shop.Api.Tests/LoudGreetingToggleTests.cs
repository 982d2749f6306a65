using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Xunit;

namespace Acme.Shop.Api.Tests;

/// <summary>The greeting as the app wires it: the features file the deployment writes, read by the feature manager.</summary>
public sealed class LoudGreetingToggleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acme-features-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FeaturesFileWith(string loudGreetingFlag)
    {
        var path = Path.Combine(_folder, "features.json");
        File.WriteAllText(path, $$"""{ "feature_management": { "feature_flags": [ {{loudGreetingFlag}} ] } }""");
        return path;
    }

    private static ServiceProvider FeatureManagement(string? featuresFile)
    {
        var configuration = new ConfigurationBuilder().AddFeaturesFile(featuresFile).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // A factory, so the container disposes the configuration and with it the file watcher.
        services.AddSingleton<IConfiguration>(_ => configuration);
        services.AddFeatureManagement();
        return services.BuildServiceProvider();
    }

    private static async Task<string> Greet(string? featuresFile)
    {
        using var services = FeatureManagement(featuresFile);
        return await Greetings.ForAsync("Ada", services.GetRequiredService<IFeatureManager>());
    }

    [Fact]
    public async Task Greets_quietly_without_a_features_file_or_when_it_is_missing()
    {
        Assert.Equal("Welcome, Ada.", await Greet(null));
        Assert.Equal("Welcome, Ada.", await Greet(Path.Combine(_folder, "missing", "features.json")));
    }

    [Fact]
    public async Task Greets_loudly_when_the_features_file_turns_it_on()
    {
        Assert.Equal("WELCOME, ADA!", await Greet(FeaturesFileWith("""{ "id": "LoudGreeting", "enabled": true }""")));
        Assert.Equal("Welcome, Ada.", await Greet(FeaturesFileWith("""{ "id": "LoudGreeting", "enabled": false }""")));
    }

    [Fact]
    public async Task A_percentage_rollout_is_decided_per_request()
    {
        var file = FeaturesFileWith("""
            { "id": "LoudGreeting", "enabled": true,
              "conditions": { "client_filters": [ { "name": "Microsoft.Percentage", "parameters": { "Value": 50 } } ] } }
            """);
        using var services = FeatureManagement(file);
        var features = services.GetRequiredService<IFeatureManager>();

        var loud = 0;
        for (var i = 0; i < 1000; i++)
        {
            loud += await Greetings.ForAsync("Ada", features) == "WELCOME, ADA!" ? 1 : 0;
        }

        Assert.InRange(loud, 400, 600);
    }
}
