using Microsoft.AspNetCore.Http;
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

    private readonly HttpContextAccessor _request = new();

    private ServiceProvider FeatureManagement(string? featuresFile)
    {
        var configuration = new ConfigurationBuilder().AddFeaturesFile(featuresFile).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // A factory, so the container disposes the configuration and with it the file watcher.
        services.AddSingleton<IConfiguration>(_ => configuration);
        UserTargeting.AddFeatureToggles(services);
        services.AddSingleton<IHttpContextAccessor>(_request);
        return services.BuildServiceProvider();
    }

    private async Task<string> Greet(string? featuresFile)
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
    public async Task A_percentage_release_is_sticky_per_user_and_leaves_out_anonymous_requests()
    {
        var file = FeaturesFileWith("""
            { "id": "LoudGreeting", "enabled": true,
              "conditions": { "client_filters": [ { "name": "Microsoft.Targeting",
                "parameters": { "Audience": { "Users": [], "Groups": [], "DefaultRolloutPercentage": 50 } } } ] } }
            """);
        using var services = FeatureManagement(file);
        var features = services.GetRequiredService<IFeatureManager>();

        var loudUsers = 0;
        for (var i = 0; i < 1000; i++)
        {
            var answers = new HashSet<string>();
            for (var call = 0; call < 3; call++)
            {
                _request.HttpContext = RequestFrom($"user-{i}");
                answers.Add(await Greetings.ForAsync("Ada", features));
            }

            Assert.Single(answers);
            loudUsers += answers.Single() == "WELCOME, ADA!" ? 1 : 0;
        }

        Assert.InRange(loudUsers, 450, 550);
        _request.HttpContext = RequestFrom(null);
        Assert.Equal("Welcome, Ada.", await Greetings.ForAsync("Ada", features));
    }

    private static DefaultHttpContext RequestFrom(string? user)
    {
        var context = new DefaultHttpContext();
        if (user is not null)
        {
            context.Request.Headers[UserTargeting.Header] = user;
        }

        return context;
    }
}
