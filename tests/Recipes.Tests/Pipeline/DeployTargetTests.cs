using Recipes.Artifacts;
using Recipes.Deployment;
using Recipes.Pipeline;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Pipeline;

/// <summary>
/// The deployment targets' checks through the host, before anything is downloaded or started: a missing or wrong
/// argument, a package nothing records the digest of, an approval not given. Each is one line and exit code 2.
/// </summary>
public sealed class DeployTargetTests : IDisposable
{
    private const string Environments = """
        environments:
          - name: dev
            artifact: Acme.Shop.Api
            port: 5080
          - name: staging
            artifact: Acme.Shop.Api
            port: 5081
          - name: production
            artifact: Acme.Shop.Api
            port: 5082
            approval: true
          - name: tools
            artifact: Acme.Tools
            port: 5083
          - name: vault
            artifact: Acme.Shop.Api
            port: 5084
            secrets: { Shop__ApiKey: { from-env: DEPLOY_TARGET_TESTS_UNSET_SECRET } }
        """;

    private readonly TempDirectory _repository = new("recipes-deploy-target");

    public DeployTargetTests() => File.WriteAllText(_repository.Combine("environments.yml"), Environments);

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Deploy_without_a_manifest_or_version_says_to_run_the_commit_stage_first()
    {
        var result = Run("--target=Deploy", "--environment=dev");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain("Deploy takes the version from the commit stage's manifest, and there is no ");
        OneLineError.LineOf(result.Error).ShouldContain("run ./build.sh --target=CommitStage first");
    }

    [Fact]
    public void Deploy_of_a_version_nothing_records_the_digest_of_asks_for_its_manifest()
    {
        var result = Run("--target=Deploy", "--environment=dev", "--deploy-version=1.2.0");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain("Nothing records the SHA-512 of Acme.Shop.Api 1.2.0");
        OneLineError.LineOf(result.Error).ShouldContain("--manifest=PATH");
    }

    [Fact]
    public void Deploy_with_a_manifest_that_lacks_the_environments_artifact_names_what_it_lists()
    {
        var manifest = WriteManifest(("Acme.Greeter", "1.0.0"));

        var result = Run("--target=Deploy", "--environment=dev", $"--manifest={manifest}");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain($"{manifest} lists Acme.Greeter 1.0.0, not Acme.Shop.Api, which environment 'dev' deploys");
    }

    [Fact]
    public void Deploy_with_a_missing_manifest_file_names_it()
    {
        var result = Run("--target=Deploy", "--environment=dev", "--manifest=nowhere/manifest.json");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain("nowhere/manifest.json, which does not exist");
    }

    [Fact]
    public void An_environment_that_needs_approval_is_not_deployed_from_a_laptop_without_approve()
    {
        var manifest = WriteManifest(("Acme.Shop.Api", "1.0.0"));

        var result = Run("--target=Deploy", "--environment=production", $"--manifest={manifest}");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain("Environment 'production' needs approval");
        OneLineError.LineOf(result.Error).ShouldContain("--approve=true");
        File.Exists(_repository.Combine("state", "ledger.db")).ShouldBeFalse("nothing was recorded");
    }

    [Fact]
    public void A_wrong_lock_timeout_exits_2_before_anything_runs()
    {
        var manifest = WriteManifest(("Acme.Shop.Api", "1.0.0"));

        var result = Run("--target=Deploy", "--environment=dev", $"--manifest={manifest}", "--lock-timeout=soon");

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain("--lock-timeout is 'soon'");
    }

    [Theory]
    [InlineData("Promote needs --from=NAME", "--to=production")]
    [InlineData("--to is 'prod', which is not an environment", "--from=staging", "--to=prod")]
    [InlineData("Promote needs two different environments", "--from=staging", "--to=staging")]
    [InlineData("'staging' runs Acme.Shop.Api and 'tools' runs Acme.Tools", "--from=staging", "--to=tools")]
    [InlineData("Nothing is live in 'staging' to promote", "--from=staging", "--to=production")]
    public void Wrong_promotions_exit_2_with_one_line(string expected, params string[] arguments)
    {
        var result = Run(["--target=Promote", .. arguments]);

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain(expected);
    }

    [Fact]
    public void Rollback_with_nothing_deployed_fails_saying_so()
    {
        var result = Run("--target=Rollback", "--environment=dev");

        result.Exit.ShouldBe(1, result.Error);
        result.Error.ShouldContain("Nothing is deployed to dev, so there is nothing to roll back");
    }

    [Theory]
    [InlineData("--target=Deploy", "--environment=vault")]
    [InlineData("--target=Promote", "--from=dev", "--to=vault")]
    [InlineData("--target=Rollback", "--environment=vault")]
    public void A_secret_whose_variable_is_unset_exits_2_before_anything_is_downloaded_or_recorded(params string[] arguments)
    {
        Environment.GetEnvironmentVariable("DEPLOY_TARGET_TESTS_UNSET_SECRET").ShouldBeNull();
        var manifest = WriteManifest(("Acme.Shop.Api", "1.0.0"));

        var result = Run([.. arguments, $"--manifest={manifest}"]);

        result.Exit.ShouldBe(2, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain(
            "Environment 'vault' needs its secrets before deploying: Shop__ApiKey comes from the variable DEPLOY_TARGET_TESTS_UNSET_SECRET, which is not set. Set it in the build's environment");
        File.Exists(_repository.Combine("state", "ledger.db")).ShouldBeFalse("nothing was recorded");
        Directory.Exists(_repository.Combine("state", "releases")).ShouldBeFalse("nothing was downloaded");
    }

    [Theory]
    [InlineData("--target=History", "--environment=dev")]
    [InlineData("--target=Deploy", "--environment=dev")]
    public void A_ledger_with_damaged_pages_fails_in_one_line_naming_it_and_what_to_do(params string[] arguments)
    {
        var ledger = _repository.Combine("state", "ledger.db");
        Recipes.Tests.Deployment.DeploymentLedgerDamageTests.WriteDamagedLedger(ledger);
        var manifest = WriteManifest(("Acme.Shop.Api", "1.0.0"));

        var result = Run([.. arguments, $"--manifest={manifest}"]);

        result.Exit.ShouldBe(1, result.Error);
        OneLineError.LineOf(result.Error).ShouldContain($"The deployment ledger {ledger} is damaged (database disk image is malformed); move it aside (mv {ledger} {ledger}.damaged)");
        Directory.Exists(_repository.Combine("state", "releases")).ShouldBeFalse("nothing was downloaded");
    }

    [Fact]
    public void Status_of_an_environment_never_deployed_says_nothing_is_deployed()
    {
        var result = Run("--target=Status", "--environment=dev");

        result.Exit.ShouldBe(0, result.Error);
        result.Output.ShouldContain("dev: nothing deployed; router stopped (port 5080)");
    }

    [Fact]
    public void Deploying_a_rolled_back_version_again_needs_force_and_is_refused_without_it_changing_nothing()
    {
        var ledger = DeploymentLedger.Open(_repository.Combine("state", "ledger.db"));
        foreach (var (version, kind) in new[] { ("1.0.0", DeploymentKind.Deploy), ("2.0.0", DeploymentKind.Deploy), ("1.0.0", DeploymentKind.Rollback) })
        {
            var id = ledger.Begin(new DeploymentRecord("dev", "Acme.Shop.Api", version, new string('a', 128), "0123456789abcdef", "blue-green", kind, "carol"));
            ledger.Complete(id, DeploymentOutcome.Succeeded);
        }

        ledger.MarkRolledBack("dev", 1, "2.0.0");
        var feed = Directory.CreateDirectory(_repository.Combine("feed")).FullName;

        var refused = Run("--target=Deploy", "--environment=dev", "--deploy-version=2.0.0", $"--feed={feed}");

        refused.Exit.ShouldBe(2, refused.Error);
        OneLineError.LineOf(refused.Error).ShouldMatch(@"Acme\.Shop\.Api 2\.0\.0 was rolled back in dev on \d{4}-\d\d-\d\d \d\d:\d\d UTC by carol, back to 1\.0\.0 \(ledger #3\); deploy it again only on purpose, with --force\.");
        ledger.History("dev").Count.ShouldBe(3, "nothing was recorded");
        Directory.Exists(_repository.Combine("state", "releases")).ShouldBeFalse("nothing was downloaded");

        // With --force the deployment goes ahead (and fails only because this feed is empty).
        var forced = Run("--target=Deploy", "--environment=dev", "--deploy-version=2.0.0", $"--feed={feed}", "--force");

        forced.Error.ShouldNotContain("was rolled back");
        forced.Exit.ShouldBe(1, forced.Error);
        var attempt = ledger.History("dev")[0];
        (attempt.Id, attempt.Kind, attempt.Version).ShouldBe((4, DeploymentKind.Deploy, "2.0.0"));
    }

    private string WriteManifest(params (string Id, string Version)[] artifacts)
    {
        var path = _repository.Combine("manifest.json");
        new ArtifactManifest
        {
            Version = artifacts[0].Version,
            Commit = "0123456789abcdef",
            Branch = "main",
            BuildTime = DateTimeOffset.UnixEpoch,
            Artifacts = [.. artifacts.Select(a => new ArtifactEntry(a.Id, a.Version, "deployable", $"{a.Id}.{a.Version}.nupkg", new string('a', 128)))],
        }.Write(path);
        return path;
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run([
            $"--environments-file={_repository.Combine("environments.yml")}",
            $"--state-directory={_repository.Combine("state")}",
            $"--artifacts={_repository.Combine("artifacts")}",
            .. arguments]);
        return (exit, harness.Output, harness.Error);
    }
}
