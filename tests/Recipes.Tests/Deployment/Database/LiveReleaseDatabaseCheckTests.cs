using Recipes.Deployment;
using Recipes.Deployment.Database;
using Recipes.Tests.Deployment.Targets;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Database;

/// <summary>
/// The compatibility check's last part, with real git and dotnet test: the live release's own slow tests marked
/// DatabaseCheck, from its commit (HEAD's copy of them always fails, so a run of the new commit's tests shows), against
/// a live "v1" that reads column <c>name</c>. Each test runs dotnet test once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class LiveReleaseDatabaseCheckTests : IAsyncLifetime
{
    private const string Items = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);";
    private const string TestProject = "tests/Shop.AcceptanceTests/Shop.AcceptanceTests.csproj";

    private readonly InMemoryShop _shop = new("recipes-dbcheck-deployer");
    private readonly TempRepository _repository = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime: this xunit does not call a test class's IAsyncDisposable (the state folder and repository stayed).
    public async Task DisposeAsync()
    {
        await _shop.DisposeAsync();
        _repository.Dispose();
    }

    [Fact]
    public async Task The_live_releases_passing_database_checks_let_the_deployment_go_on_and_unmarked_tests_do_not_run()
    {
        var v1 = await LiveV1Async();
        _shop.Ship("2.0.0", ("expand/0002_display_name.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;"));
        BreakHeadsCopyOfTheChecks();

        await Deployer().DeployAsync(Request("2.0.0", v1), CancellationToken.None);

        _shop.Target.Calls.ShouldContain("Deploy");
        _shop.Harness.Log.ShouldContain($"Compatibility check: running the live release 1.0.0's DatabaseCheck tests of Shop.AcceptanceTests (commit {v1})");
        Ledger.History("dev").First().Outcome.ShouldBe(DeploymentOutcome.Succeeded);
        Directory.GetFileSystemEntries(Path.GetTempPath(), "recipes-database-checks-*").ShouldBeEmpty("the worktree is removed after");
        Git("worktree", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1);
    }

    [Fact]
    public async Task A_failing_database_check_of_the_live_release_stops_the_deployment_before_traffic_moves()
    {
        var v1 = await LiveV1Async();
        _shop.Ship("2.0.0", ("expand/0002_rename.sql", "ALTER TABLE items RENAME COLUMN name TO display_name;"));
        BreakHeadsCopyOfTheChecks();
        _shop.Target.Calls.Clear();

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request("2.0.0", v1), CancellationToken.None));

        failure.Message.ShouldStartWith("Compatibility check failed: the live release 1.0.0's database checks in Shop.AcceptanceTests fail on the expanded schema: Shop.AcceptanceTests.ItemsChecks.Items_are_readable; nothing switched.");
        failure.Message.ShouldNotContain("\n");
        _shop.Target.Calls.ShouldBe(["Fetch", "Status"], "the target never deployed 2.0.0");
        Ledger.History("dev").First().Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Fact]
    public async Task A_live_commit_missing_from_the_clone_is_a_warning_in_the_ledger_row_and_the_deployment_goes_on()
    {
        var v1 = await LiveV1Async("0123456789abcdef0123456789abcdef01234567");
        _shop.Ship("2.0.0", ("expand/0002_display_name.sql", "ALTER TABLE items ADD COLUMN display_name TEXT;"));

        await Deployer().DeployAsync(Request("2.0.0", v1), CancellationToken.None);

        _shop.Target.Calls.ShouldContain("Deploy");
        Ledger.History("dev").First().Details.ShouldNotBeNull().ShouldContain(
            $"warning: the live release 1.0.0's database checks could not run: its commit {v1} is not in this clone");
    }

    private DeploymentLedger Ledger => _shop.Harness.Ledger;

    /// <summary>Commits v1's tests, deploys 1.0.0 as built from <paramref name="commit"/> (v1's by default) and starts "v1" as its live release.</summary>
    private async Task<string> LiveV1Async(string? commit = null)
    {
        var v1 = CommitV1();
        var live = commit ?? v1;
        _shop.Ship("1.0.0", ("expand/0001_items.sql", Items));
        await Deployer().DeployAsync(Request("1.0.0", live), CancellationToken.None);
        await _shop.StartV1Async("/items");
        return live;
    }

    /// <summary>v1's commit holds the tests as written; a later commit (HEAD) breaks its copy of the database check.</summary>
    private string CommitV1()
    {
        _repository.Write(TestProject, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsPackable>false</IsPackable>
                <NuGetAudit>false</NuGetAudit>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """);
        WriteChecks("Assert.Equal(200, (int)answer.StatusCode);");
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "v1");
        return Git("rev-parse", "HEAD").Trim();
    }

    private void BreakHeadsCopyOfTheChecks()
    {
        WriteChecks("Assert.Fail(\"the new commit's copy of the database checks ran, not the live release's\");");
        Git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-am", "v2");
    }

    private void WriteChecks(string assertion) =>
        _repository.Write("tests/Shop.AcceptanceTests/ItemsChecks.cs", $$"""
            namespace Shop.AcceptanceTests;

            public class ItemsChecks
            {
                [Fact, Trait("Category", "DatabaseCheck")]
                public async Task Items_are_readable()
                {
                    Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ConnectionStrings__Database")));
                    using var client = new HttpClient();
                    using var answer = await client.GetAsync(Environment.GetEnvironmentVariable("RECIPES_ENVIRONMENT_URL") + "/items");
                    {{assertion}}
                }

                [Fact]
                public void Not_a_database_check() => Assert.Fail("a test not marked DatabaseCheck ran");
            }
            """);

    private string Git(params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, _repository.Root, TimeSpan.FromMinutes(1));
        result.ExitCode.ShouldBe(0, result.Output);
        return result.Output;
    }

    private Recipes.Deployment.Deployer Deployer() =>
        _shop.Harness.Deployer([InMemoryTarget.Registration(_shop.Target)], databaseChecks: new LiveReleaseDatabaseChecks(CakeContexts.Create(), _repository.Root, () => [TestProject], _shop.Harness.State.Combine("feed"), "Release"));

    private DeploymentRequest Request(string version, string commit) =>
        _shop.Harness.Request(DeployerHarness.Environment("Shop", _shop.Port) with { Database = new DatabaseSettings(DatabaseProvider.Sqlite, null) }, version) with { Commit = commit };
}
