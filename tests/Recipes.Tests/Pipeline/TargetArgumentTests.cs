using Recipes.Hosting;
using Recipes.Pipeline;
using Recipes.Pipeline.Arguments;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// The targets' declared arguments through the host: listed by <c>--help</c> (all, or one target's with the settings
/// it reads), checked before any task runs, read from the command line only, and <c>--version</c> with one meaning.
/// </summary>
public sealed class TargetArgumentTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5090
          - name: staging
            artifact: Acme.Shop.Api
            port: 5091
            features: { NewCheckout: { percentage: 10 } }
        """;

    private readonly TempDirectory _repository = new("recipes-target-arguments");

    public TargetArgumentTests() => File.WriteAllText(_repository.Combine("environments.yml"), Environments);

    public void Dispose() => _repository.Dispose();

    /// <summary>Runs first when named first: proves a wrong argument stops the run before any task.</summary>
    public sealed class Marker(Journal journal) : FrostingTask<RecipeContext>
    {
        public override void Run(RecipeContext context) => journal.Add("Marker ran");
    }

    [Fact]
    public void Help_lists_every_target_argument_grouped_per_target()
    {
        var (exit, output, error, _) = Run([], "--help");

        exit.ShouldBe(0, error);
        output.ShouldContain("Target arguments:");
        foreach (var target in TargetArgumentTable.Targets)
        {
            var group = output[output.IndexOf($"\n  {target.Target}:\n", StringComparison.Ordinal)..];
            foreach (var argument in target.Arguments)
            {
                group.ShouldContain($"--{argument.Name}={argument.ValueName}", Case.Sensitive, $"{target.Target} lists --{argument.Name}");
            }
        }

        output.ShouldContain("--limit=N");
        output.ShouldContain("--deploy-version=SEMVER");
        output.ShouldContain("--ci-output=PATH");
    }

    [Fact]
    public void Help_for_one_target_lists_its_arguments_with_defaults_and_only_the_settings_it_reads()
    {
        var (exit, output, error, _) = Run([], "--target=Release", "--help");

        exit.ShouldBe(0, error);
        output.ShouldContain("Release: Change a feature's exposure");
        output.ShouldContain("--percentage=0-100");
        output.ShouldContain("--groups=G:P,...");
        output.ShouldNotContain("--limit=", Case.Sensitive, "History's argument");
        output.ShouldNotContain("Deploy:", Case.Sensitive, "another target's group");
        output.ShouldContain("  environments-file ");
        output.ShouldContain("  state-directory ");
        output.ShouldNotContain("fast-test-filter", Case.Sensitive, "a setting Release does not read");

        var history = Run([], "--target=History", "--help").Output;
        history.ShouldMatch(@"--limit=N\s+How many rows to show, newest first \(default: 20\)");
        history.ShouldNotContain("--percentage");
    }

    [Theory]
    [InlineData("--percentage is '150'; give a whole number from 0 to 100.", "--target=Release", "--environment=staging", "--feature=NewCheckout", "--percentage=150")]
    [InlineData("--lock-timeout is 'soon'; give a duration such as", "--target=Deploy", "--environment=dev", "--lock-timeout=soon")]
    [InlineData("--limit is 'many'; give a whole number of at least 1.", "--target=History", "--environment=dev", "--limit=many")]
    [InlineData("--ci=jenkins is not supported; supported: github, azure, gitlab.", "--target=GenerateCI", "--ci=jenkins")]
    [InlineData("--approve is 'yes'; give true or false.", "--target=Deploy", "--environment=dev", "--approve=yes")]
    public void A_wrong_argument_exits_2_in_one_line_naming_it_before_any_task_runs(string expected, params string[] arguments)
    {
        var (exit, _, error, journal) = Run([], ["--target=Marker", .. arguments]);

        exit.ShouldBe(2, error);
        OneLineError.LineOf(error).ShouldContain(expected);
        journal.Entries.ShouldBeEmpty("no task runs before the arguments are checked");
    }

    [Fact]
    public void Environment_variables_named_like_arguments_are_not_read()
    {
        var machine = new Dictionary<string, string> { ["ENVIRONMENT"] = "prod", ["TO"] = "prod", ["USERS"] = "mallory" };

        var status = Run(machine, "--target=Status");
        status.Exit.ShouldBe(0, status.Error);
        status.Output.ShouldContain("dev: nothing deployed");
        status.Output.ShouldContain("staging: nothing deployed");

        var chosen = Run(machine, "--target=Status", "--environment=staging");
        chosen.Exit.ShouldBe(0, chosen.Error);
        chosen.Output.ShouldContain("staging: nothing deployed");
        chosen.Output.ShouldNotContain("dev: ");

        var history = Run(machine, "--target=History");
        history.Exit.ShouldBe(2, history.Error);
        history.Error.ShouldContain("History needs --environment=NAME");

        var promote = Run(machine, "--target=Promote", "--from=dev");
        promote.Exit.ShouldBe(2, promote.Error);
        promote.Error.ShouldContain("Promote needs --to=NAME");

        var release = Run(machine, "--target=Release", "--environment=staging", "--feature=NewCheckout");
        release.Exit.ShouldBe(2, release.Error);
        release.Error.ShouldContain("Release needs --percentage=P");
    }

    [Theory]
    [InlineData("--version=1.2.0")]
    [InlineData("RECIPES_VERSION=1.2.0")]
    public void The_old_version_spelling_for_Deploy_fails_naming_deploy_version(string given)
    {
        var fromEnvironment = given.StartsWith("RECIPES_", StringComparison.Ordinal);
        var environment = fromEnvironment ? new Dictionary<string, string> { ["RECIPES_VERSION"] = "1.2.0" } : [];
        string[] arguments = fromEnvironment ? ["--target=Marker", "--target=Deploy", "--environment=dev"] : ["--target=Marker", "--target=Deploy", "--environment=dev", given];

        var (exit, _, error, journal) = Run(environment, arguments);

        exit.ShouldBe(2, error);
        OneLineError.LineOf(error).ShouldContain("Deploy takes the version to deploy as --deploy-version=1.2.0");
        journal.Entries.ShouldBeEmpty();
    }

    private (int Exit, string Output, string Error, Journal Journal) Run(Dictionary<string, string> environment, params string[] arguments)
    {
        var harness = new HostHarness(environment);
        harness.Host.UseRecipe().AddTask<Marker>();
        var exit = harness.Run([
            $"--environments-file={_repository.Combine("environments.yml")}",
            $"--state-directory={_repository.Combine("state")}",
            $"--artifacts={_repository.Combine("artifacts")}",
            .. arguments]);
        return (exit, harness.Output, harness.Error, harness.Journal);
    }
}
