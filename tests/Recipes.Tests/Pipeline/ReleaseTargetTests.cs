using Recipes.Deployment;
using Recipes.Deployment.Toggles;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// The History and Release targets through the host, with no solution. The environments file and the state folder
/// are in a temporary folder named by their settings: <c>--working</c> would move the test process's current
/// directory (Cake sets it), which other tests running in parallel depend on.
/// </summary>
public sealed class ReleaseTargetTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5080
          - name: staging
            artifact: Acme.Shop.Api
            port: 5081
            features: { LoudGreeting: false, NewCheckout: { percentage: 10 } }
        """;

    private readonly TempDirectory _repository = new("recipes-release");

    public ReleaseTargetTests() => File.WriteAllText(EnvironmentsFile, Environments);

    private string EnvironmentsFile => _repository.Combine("environments.yml");

    private string StateDirectory => _repository.Combine("state");

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Release_sets_the_percentage_records_it_in_the_ledger_and_History_shows_it()
    {
        var release = Run("--target=Release", "--environment=staging", "--feature=NewCheckout", "--percentage=50");

        release.Exit.ShouldBe(0, release.Error);
        release.Output.ShouldContain("NewCheckout: not set -> 50% of users");
        FeatureToggleFile.For(StateDirectory, "staging").Read("NewCheckout")
            .ShouldBe(FeatureExposure.ForShareOfUsers(50));
        var row = DeploymentLedger.Open(_repository.Combine("state", "ledger.db")).History("staging").ShouldHaveSingleItem();
        row.Kind.ShouldBe(DeploymentKind.Release);
        row.Outcome.ShouldBe(DeploymentOutcome.Succeeded);
        row.Details.ShouldBe("NewCheckout: not set -> 50% of users");

        var second = Run("--target=Release", "--environment=staging", "--feature=NewCheckout", "--enabled=false");
        second.Exit.ShouldBe(0, second.Error);

        var history = Run("--target=History", "--environment=staging");
        history.Exit.ShouldBe(0, history.Error);
        var first = history.Output.IndexOf("NewCheckout: not set -> 50% of users", StringComparison.Ordinal);
        var newest = history.Output.IndexOf("NewCheckout: 50% of users -> off", StringComparison.Ordinal);
        first.ShouldBeGreaterThan(0);
        newest.ShouldBeInRange(0, first);
        history.Output.ShouldContain("release");

        var limited = Run("--target=History", "--environment=staging", "--limit=1");
        limited.Output.ShouldContain("NewCheckout: 50% of users -> off");
        limited.Output.ShouldNotContain("NewCheckout: not set -> 50% of users");
    }

    [Fact]
    public void Release_to_users_and_groups_writes_targeting_with_the_percentage_as_everyone_elses_share()
    {
        var release = Run("--target=Release", "--environment=staging", "--feature=NewCheckout", "--users=alice, bob", "--groups=beta:50,staff", "--percentage=5");

        release.Exit.ShouldBe(0, release.Error);
        FeatureToggleFile.For(StateDirectory, "staging").Read("NewCheckout").ShouldBe(FeatureExposure.ForTargeting(
            new FeatureTargeting(["alice", "bob"], [new TargetedGroup("beta", 50), new TargetedGroup("staff", 100)], 5)));
        release.Output.ShouldContain("NewCheckout: not set -> targeting (users alice, bob; groups beta 50%, staff 100%; others 5%)");
    }

    [Fact]
    public void The_state_directory_setting_moves_the_features_file_and_the_ledger()
    {
        var release = Run("--target=Release", "--environment=staging", "--feature=LoudGreeting", "--enabled=true", $"--state-directory={_repository.Combine("deploy-state")}");

        release.Exit.ShouldBe(0, release.Error);
        FeatureToggleFile.For(_repository.Combine("deploy-state"), "staging").Read("LoudGreeting").ShouldBe(FeatureExposure.On);
        File.Exists(_repository.Combine("deploy-state", "ledger.db")).ShouldBeTrue();
        Directory.Exists(StateDirectory).ShouldBeFalse();
    }

    [Fact]
    public void An_undeclared_feature_is_refused_with_the_closest_name_and_exit_2()
    {
        var release = Run("--target=Release", "--environment=staging", "--feature=NewChekout", "--percentage=50");

        release.Exit.ShouldBe(2);
        OneLineError.LineOf(release.Error).ShouldContain("Feature 'NewChekout' is not declared for environment 'staging'; did you mean 'NewCheckout'?");
        File.Exists(_repository.Combine("state", "staging", "features.json")).ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_environment_is_refused_naming_the_file_and_its_environments()
    {
        foreach (var target in new[] { "Release", "History" })
        {
            var result = Run($"--target={target}", "--environment=stagign", "--feature=NewCheckout", "--percentage=50");

            result.Exit.ShouldBe(2, result.Error);
            OneLineError.LineOf(result.Error).ShouldBe(
                $"Error: There is no environment 'stagign' in {EnvironmentsFile}; it has dev, staging. Did you mean 'staging'?");
        }
    }

    [Theory]
    [InlineData("Release needs --environment=NAME; ", "--feature=NewCheckout", "--percentage=50")]
    [InlineData("Release needs --feature=NAME; environment 'staging' declares LoudGreeting, NewCheckout.", "--environment=staging", "--percentage=50")]
    [InlineData("Release needs --percentage=P (0 to 100), --enabled=true|false, or --users=A,B / --groups=G:P", "--environment=staging", "--feature=NewCheckout")]
    [InlineData("Release takes --enabled or --users/--groups, not both", "--environment=staging", "--feature=NewCheckout", "--users=alice", "--enabled=true")]
    [InlineData("--groups has 'beta:lots'; the share after ':' is a whole number from 0 to 100", "--environment=staging", "--feature=NewCheckout", "--groups=beta:lots")]
    [InlineData("Release takes --percentage or --enabled, not both", "--environment=staging", "--feature=NewCheckout", "--percentage=5", "--enabled=true")]
    [InlineData("--percentage is '150'; give a whole number from 0 to 100.", "--environment=staging", "--feature=NewCheckout", "--percentage=150")]
    [InlineData("--enabled is 'yes'; give true or false.", "--environment=staging", "--feature=NewCheckout", "--enabled=yes")]
    public void Missing_or_wrong_release_arguments_exit_2_with_one_line(string expected, params string[] arguments)
    {
        var result = Run(["--target=Release", .. arguments]);

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain(expected);
    }

    [Fact]
    public void A_wrong_limit_exits_2_with_one_line()
    {
        var result = Run("--target=History", "--environment=dev", "--limit=0");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain("--limit is '0'");
    }

    [Fact]
    public void History_of_an_environment_without_rows_says_so_without_creating_a_ledger()
    {
        var history = Run("--target=History", "--environment=dev");

        history.Exit.ShouldBe(0, history.Error);
        history.Output.ShouldContain("No deployments to dev yet.");
        File.Exists(_repository.Combine("state", "ledger.db")).ShouldBeFalse();
    }

    [Fact]
    public void A_missing_environments_file_says_to_create_it()
    {
        // The default environments-file, at the test's working directory (the test output folder), which has none.
        File.Exists(Path.Combine(Environment.CurrentDirectory, "environments.yml")).ShouldBeFalse();
        var harness = new HostHarness();
        harness.Host.UseRecipe();

        harness.Run("--target=History", "--environment=dev", $"--state-directory={StateDirectory}").ShouldBe(2);

        OneLineError.LineOf(harness.Error).ShouldEndWith(
            "create environments.yml at the repository root (see Environments in the README) or set environments-file to its path.");
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run([$"--environments-file={EnvironmentsFile}", $"--state-directory={StateDirectory}", .. arguments]);
        return (exit, harness.Output, harness.Error);
    }
}
