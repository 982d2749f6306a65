using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;
using Recipes.Pipeline.Tasks;

namespace Recipes.Tests.Deployment.Targets;

/// <summary>
/// The deployer is target-neutral: a second target registered by the test alone (it runs nothing) gets the same lock,
/// ledger rows, digest check and features file as the local one, and Status shows what that target adds.
/// </summary>
public sealed class DeployerTests : IDisposable
{
    private const string Digest = DeployerHarness.Digest;

    private readonly DeployerHarness _harness = new("recipes-deployer");
    private readonly InMemoryTarget _target;

    public DeployerTests() => _target = new InMemoryTarget(_harness.LedgerPath);

    public void Dispose() => _harness.Dispose();

    private string LedgerPath => _harness.LedgerPath;

    private DeploymentLedger Ledger => _harness.Ledger;

    [Fact]
    public async Task A_deployment_holds_the_lock_and_records_its_row_from_begin_to_succeeded()
    {
        var dev = Environment();

        var result = await Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None);

        _target.Calls.ShouldBe(["Fetch", "Deploy"]);
        _target.LockedDuringDeploy.ShouldBeTrue("the target runs inside the environment's lock");
        _target.RowDuringDeploy.ShouldNotBeNull().Outcome.ShouldBe(DeploymentOutcome.Running);
        var row = Ledger.History("dev").ShouldHaveSingleItem();
        (row.Id, row.Version, row.Digest, row.Kind, row.Outcome, row.Details).ShouldBe((result.LedgerId, "1.0.0", Digest, DeploymentKind.Deploy, DeploymentOutcome.Succeeded, "1.0.0 held in memory"));
        _target.ArtifactCleanedUp.ShouldBeTrue();
        using var free = Ledger.AcquireLock("dev", "next", TimeSpan.Zero);
    }

    [Fact]
    public async Task A_target_that_throws_leaves_a_failed_row_with_what_it_did_and_the_lock_free()
    {
        var dev = Environment();
        _target.DeployFailure = new RecipeException("the new release never answered");

        var failure = await Should.ThrowAsync<RecipeException>(() => Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None));

        failure.Message.ShouldBe("the new release never answered");
        var row = Ledger.History("dev").ShouldHaveSingleItem();
        row.Outcome.ShouldBe(DeploymentOutcome.Failed);
        row.Details.ShouldBe("the new release never answered (before that: 1.0.0 held in memory)");
        using var free = Ledger.AcquireLock("dev", "next", TimeSpan.Zero);
    }

    [Fact]
    public async Task An_artifact_with_another_digest_is_refused_before_the_target_runs_anything()
    {
        var dev = Environment();
        _target.FetchedDigest = "fedcba9876543210fedcba9876543210";

        var refused = await Should.ThrowAsync<ReleaseDigestMismatchException>(() => Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None));

        refused.Message.ShouldBe("App 1.0.0 in memory has sha256 fedcba987654… but the manifest says 0123456789ab…; that copy was changed since it was built: refusing to deploy");
        _target.Calls.ShouldBe(["Fetch"], "the target never deploys what failed the check");
        _target.ArtifactCleanedUp.ShouldBeTrue();
        Ledger.History("dev").ShouldHaveSingleItem().Outcome.ShouldBe(DeploymentOutcome.Failed);
    }

    [Fact]
    public async Task Declared_features_are_in_the_environments_features_file_before_the_target_deploys()
    {
        var dev = Environment() with { Features = new Dictionary<string, FeatureToggle> { ["checkout"] = new(true) } };

        await Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None);

        FeatureToggleFile.For(_harness.State.Path, "dev").Read("checkout").ShouldBe(FeatureExposure.On);
    }

    [Fact]
    public async Task A_rollback_records_its_row_and_marks_the_undone_release_rolled_back()
    {
        var dev = Environment();
        await Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None);
        await Deployer().DeployAsync(Request(dev, "2.0.0"), CancellationToken.None);

        var result = await Deployer().RollbackAsync(dev, Feed(), "test", CancellationToken.None);

        result.Version.ShouldBe("1.0.0");
        result.Details.ShouldBe("rolled back from 2.0.0: 1.0.0 back in memory");
        Ledger.History("dev").Select(row => (row.Kind, row.Version, row.Outcome)).ShouldBe(
        [
            (DeploymentKind.Rollback, "1.0.0", DeploymentOutcome.Succeeded),
            (DeploymentKind.Deploy, "2.0.0", DeploymentOutcome.RolledBack),
            (DeploymentKind.Deploy, "1.0.0", DeploymentOutcome.Succeeded),
        ]);
    }

    [Fact]
    public async Task Status_shows_the_ledgers_live_release_and_what_the_target_adds()
    {
        var dev = Environment();
        await Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None);

        var lines = Recipes.Pipeline.Tasks.Status.StatusLines(await Deployer().StatusAsync(dev, CancellationToken.None)).ToList();

        lines[0].ShouldStartWith("dev: stopped App 1.0.0 (ledger #1, Deploy ");
        lines[0].ShouldEndWith("; held in memory");
        lines[1].ShouldBe("  memory target line");
    }

    [Fact]
    public async Task An_environment_that_needs_approval_is_refused_without_it_and_records_who_approved_it()
    {
        var gated = Environment() with { Approval = true };

        var refused = await Should.ThrowAsync<DeploymentRefusedException>(() => Deployer().DeployAsync(Request(gated, "1.0.0"), CancellationToken.None));

        refused.Message.ShouldStartWith("Environment 'dev' needs approval (approval: true); pass --approve=true");
        _target.Calls.ShouldBeEmpty("nothing is fetched for a refused deployment");
        File.Exists(LedgerPath).ShouldBeFalse("a refused deployment writes no ledger");

        await Deployer().DeployAsync(Request(gated, "1.0.0") with { Consent = new DeploymentConsent(true, null, false) }, CancellationToken.None);
        await Deployer().DeployAsync(Request(gated, "2.0.0") with { Consent = new DeploymentConsent(false, "GitHubActions", false) }, CancellationToken.None);

        Ledger.History("dev").Select(row => row.Who).ShouldBe(["test (approved on GitHubActions)", "test (approved)"]);
    }

    [Fact]
    public async Task A_rolled_back_version_is_refused_without_force_and_deployed_with_it()
    {
        var dev = Environment();
        await Deployer().DeployAsync(Request(dev, "1.0.0"), CancellationToken.None);
        await Deployer().DeployAsync(Request(dev, "2.0.0"), CancellationToken.None);
        await Deployer().RollbackAsync(dev, Feed(), "carol", CancellationToken.None);
        _target.Calls.Clear();

        var refused = await Should.ThrowAsync<DeploymentRefusedException>(() => Deployer().DeployAsync(Request(dev, "2.0.0"), CancellationToken.None));

        refused.Message.ShouldMatch(@"^App 2\.0\.0 was rolled back in dev on \d{4}-\d\d-\d\d \d\d:\d\d UTC by carol, back to 1\.0\.0 \(ledger #3\); deploy it again only on purpose, with --force\.$");
        _target.Calls.ShouldBeEmpty();
        Ledger.History("dev").Count.ShouldBe(3, "a refused deployment adds no row");

        var forced = await Deployer().DeployAsync(Request(dev, "2.0.0") with { Consent = new DeploymentConsent(false, null, true) }, CancellationToken.None);

        forced.Version.ShouldBe("2.0.0");
        _target.Calls.ShouldBe(["Fetch", "Deploy"]);
    }

    [Fact]
    public async Task The_run_summary_says_what_is_live_after_a_deployment_and_a_rollback()
    {
        var dev = Environment();
        var summary = new Recipes.Hosting.RunSummary();
        await Deployer(summary).DeployAsync(Request(dev, "1.0.0"), CancellationToken.None);
        await Deployer(summary).DeployAsync(Request(dev, "2.0.0"), CancellationToken.None);

        summary.Entries.ShouldContain(new KeyValuePair<string, string>("Live in dev", "App 2.0.0 on http://127.0.0.1:5999/ (ledger #2)"));

        await Deployer(summary).RollbackAsync(dev, Feed(), "test", CancellationToken.None);

        summary.Entries.ShouldContain(new KeyValuePair<string, string>("Live in dev", "App 1.0.0 on http://127.0.0.1:5999/ (ledger #3)"));
    }

    [Fact]
    public void History_adds_the_releases_the_local_target_keeps_for_rollbacks_and_nothing_for_a_target_without_any()
    {
        var local = Environment() with { Target = DeploymentEnvironment.LocalTarget };
        Directory.CreateDirectory(_harness.State.Combine("releases", "dev", "App-1.0.0-0123456789ab-20261130T120000000Z"));
        Directory.CreateDirectory(_harness.State.Combine("releases", "dev", ".staging-half-unpacked"));

        Deployer().Target(local).HistoryLines(local).ShouldBe(["kept for rollbacks without fetching again: App-1.0.0-0123456789ab-20261130T120000000Z"]);
        Deployer().Target(Environment()).HistoryLines(Environment()).ShouldBeEmpty();
    }

    private Deployer Deployer(Recipes.Hosting.RunSummary? summary = null) =>
        _harness.Deployer([LocalDeployment.Registration, InMemoryTarget.Registration(_target)], summary);

    private DeploymentRequest Request(DeploymentEnvironment environment, string version) => _harness.Request(environment, version);

    private FolderFeed Feed() => _harness.Feed();

    private static DeploymentEnvironment Environment() => DeployerHarness.Environment();
}
