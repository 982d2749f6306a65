using Recipes.Deployment;
using Recipes.Deployment.Notify;
using Recipes.Deployment.Slots;
using Recipes.Deployment.Toggles;
using Recipes.Feeds;
using Recipes.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Targets;

/// <summary>
/// What the deployer's tests share: a state folder with its ledger and feed, the deployer's log, a deployer over the
/// targets a test registers, and requests for one digest. Each test class builds one and disposes it.
/// </summary>
internal sealed class DeployerHarness(string name) : IDisposable
{
    /// <summary>The digest every request carries (the test targets accept any artifact as having it).</summary>
    public const string Digest = "0123456789abcdef0123456789abcdef";

    public TempDirectory State { get; } = new(name);

    /// <summary>Every line the deployer logged.</summary>
    public List<string> Log { get; } = [];

    public string LedgerPath => State.Combine("ledger.db");

    public DeploymentLedger Ledger => DeploymentLedger.Open(LedgerPath);

    public FolderFeed Feed() => new(State.Combine("feed"));

    /// <summary>A deployer over <paramref name="registrations"/> with a 5 s lock wait, a 10 ms watch poll, and the run summary, webhook timeout and database checks a test asks for.</summary>
    public Deployer Deployer(IReadOnlyList<DeploymentTargetRegistration> registrations, RunSummary? summary = null, TimeSpan? webhookTimeout = null, Recipes.Deployment.Database.LiveReleaseDatabaseChecks? databaseChecks = null) =>
        new(() => Ledger, TimeSpan.FromSeconds(5), new DeploymentTargets(registrations), new TargetServices(State.Path, Log.Add, null))
        {
            Summary = summary,
            WatchPollInterval = TimeSpan.FromMilliseconds(10),
            WebhookTimeout = webhookTimeout ?? DeploymentNotifier.DefaultTimeout,
            DatabaseChecks = databaseChecks,
        };

    public DeploymentRequest Request(DeploymentEnvironment environment, string version) =>
        new(environment, Feed(), version, Digest, "abc1234", DeploymentKind.Deploy, "test");

    /// <summary>Environment dev on the in-memory target: blue-green without a grace period, no checks beyond health.</summary>
    public static DeploymentEnvironment Environment(string artifact = "App", int port = 5999) => new(
        "dev", InMemoryTarget.TargetName, artifact, port, new BlueGreenStrategy(TimeSpan.Zero), HealthCheck.Default, [], false,
        new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1);

    public void Dispose() => State.Dispose();
}
