using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Recipes.Deployment.Toggles;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Toggles;

/// <summary>The file we write, read by Microsoft.FeatureManagement 4.7.0 the way an app reads it.</summary>
public sealed class FeatureManagerCompatibilityTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-featuremanager");
    private readonly FeatureToggleFile _file;
    private readonly ServiceProvider _services;

    public FeatureManagerCompatibilityTests()
    {
        _file = FeatureToggleFile.For(_temp.Path, "production");
        var configuration = new ConfigurationBuilder().AddJsonFile(_file.Path, optional: true, reloadOnChange: false).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // As an app wires it: the targeting filter asks the accessor for the user of the current request.
        services.AddFeatureManagement().WithTargeting<CurrentUser>();
        _services = services.BuildServiceProvider();
        Configuration = configuration;
    }

    private IConfigurationRoot Configuration { get; }

    private IFeatureManager Manager => _services.GetRequiredService<IFeatureManager>();

    public void Dispose()
    {
        _services.Dispose();
        _temp.Dispose();
    }

    private void Write(string feature, FeatureExposure exposure)
    {
        _file.Write(feature, exposure);
        Configuration.Reload();
    }

    [Fact]
    public async Task On_and_off_are_what_the_feature_manager_answers()
    {
        Write("NewCheckout", FeatureExposure.On);
        (await Manager.IsEnabledAsync("NewCheckout")).ShouldBeTrue();

        Write("NewCheckout", FeatureExposure.Off);
        (await Manager.IsEnabledAsync("NewCheckout")).ShouldBeFalse();
        (await Manager.IsEnabledAsync("Undeclared")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public async Task A_percentage_turns_the_feature_on_for_that_share_of_evaluations(int percentage)
    {
        Write("NewCheckout", FeatureExposure.ForPercentage(percentage));

        var on = 0;
        for (var i = 0; i < 1000; i++)
        {
            on += await Manager.IsEnabledAsync("NewCheckout") ? 1 : 0;
        }

        (on / 10.0).ShouldBeInRange(percentage - 5, percentage + 5);
    }

    [Fact]
    public async Task Targeting_turns_the_feature_on_for_named_users_and_groups_only()
    {
        Write("Beta", FeatureExposure.ForTargeting(new FeatureTargeting(["alice"], [new TargetedGroup("testers", 100)], 0)));

        (await Manager.IsEnabledAsync("Beta", new TargetingContext { UserId = "alice" })).ShouldBeTrue();
        (await Manager.IsEnabledAsync("Beta", new TargetingContext { UserId = "bob", Groups = ["testers"] })).ShouldBeTrue();
        (await Manager.IsEnabledAsync("Beta", new TargetingContext { UserId = "carol", Groups = ["sales"] })).ShouldBeFalse();
        (await Manager.IsEnabledAsync("Beta", new TargetingContext { UserId = "dave" })).ShouldBeFalse();
    }

    [Fact]
    public async Task A_targeted_rollout_is_sticky_per_user_and_near_its_share_over_many_users()
    {
        Write("Beta", FeatureExposure.ForTargeting(new FeatureTargeting([], [], 30)));

        var on = 0;
        for (var i = 0; i < 1000; i++)
        {
            var user = new TargetingContext { UserId = $"user-{i}" };
            var first = await Manager.IsEnabledAsync("Beta", user);
            (await Manager.IsEnabledAsync("Beta", user)).ShouldBe(first);
            on += first ? 1 : 0;
        }

        (on / 10.0).ShouldBeInRange(25, 35);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public async Task A_released_percentage_is_that_share_of_1000_users_and_each_user_gets_the_same_answer_every_time_and_after_a_reload(int percentage)
    {
        Write("LoudGreeting", FeatureExposure.ForShareOfUsers(percentage));
        var users = Enumerable.Range(0, 1000).Select(i => $"user-{i}").ToList();

        var answers = new Dictionary<string, bool>();
        foreach (var user in users)
        {
            var evaluations = new List<bool>();
            for (var i = 0; i < 5; i++)
            {
                evaluations.Add(await IsEnabledForAsync("LoudGreeting", user));
            }

            evaluations.Distinct().ShouldHaveSingleItem($"{user} got {string.Join(", ", evaluations)}");
            answers[user] = evaluations[0];
        }

        (answers.Values.Count(on => on) / 10.0).ShouldBeInRange(percentage - 2, percentage + 2);

        // Another release rewrites the file and the app reloads it: nobody's answer changes.
        Write("NewCheckout", FeatureExposure.On);
        foreach (var user in users)
        {
            (await IsEnabledForAsync("LoudGreeting", user)).ShouldBe(answers[user], user);
        }
    }

    [Fact]
    public async Task A_request_with_no_user_id_is_outside_every_percentage_even_100_and_enabled_true_still_reaches_it()
    {
        Write("LoudGreeting", FeatureExposure.ForShareOfUsers(100));
        (await IsEnabledForAsync("LoudGreeting", "alice")).ShouldBeTrue();
        (await IsEnabledForAsync("LoudGreeting", user: null)).ShouldBeFalse();

        Write("LoudGreeting", FeatureExposure.On);
        (await IsEnabledForAsync("LoudGreeting", user: null)).ShouldBeTrue();
    }

    private async Task<bool> IsEnabledForAsync(string feature, string? user)
    {
        CurrentUser.Id.Value = user;
        try
        {
            return await Manager.IsEnabledAsync(feature);
        }
        finally
        {
            CurrentUser.Id.Value = null;
        }
    }

    /// <summary>The app's side: the user id of the current request (recipes/service reads it from a header), none for an anonymous one.</summary>
    private sealed class CurrentUser : ITargetingContextAccessor
    {
        public static readonly AsyncLocal<string?> Id = new();

        public ValueTask<TargetingContext> GetContextAsync() =>
            new(Id.Value is { } user ? new TargetingContext { UserId = user } : null!);
    }
}
