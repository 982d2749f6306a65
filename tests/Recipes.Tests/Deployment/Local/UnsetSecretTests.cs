using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Feeds;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>A declared secret whose variable is unset stops a deployment before the lock, the ledger and the feed.</summary>
public sealed class UnsetSecretTests : IDisposable
{
    private const string Variable = "UNSET_SECRET_TESTS_VARIABLE";
    private readonly TempDirectory _state = new("recipes-unset-secret");

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Deploy_and_rollback_fail_naming_the_environment_the_secret_and_the_variable_before_anything_is_downloaded_or_recorded()
    {
        System.Environment.GetEnvironmentVariable(Variable).ShouldBeNull();
        var environment = new DeploymentEnvironment(
            "dev", DeploymentEnvironment.LocalTarget, "Acme.Shop.Api", 5999, new BlueGreenStrategy(TimeSpan.Zero), HealthCheck.Default, [], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(),
            new Dictionary<string, SecretReference> { ["Shop__ApiKey"] = new(Variable) }, 1);
        var feed = new UntouchableFeed();
        var ledgerPath = _state.Combine("ledger.db");
        var deployment = new LocalDeployment(_state.Path, () => DeploymentLedger.Open(ledgerPath), TimeSpan.Zero, _ => { });

        var deploy = await Should.ThrowAsync<RecipeException>(() => deployment.DeployAsync(
            new DeploymentRequest(environment, feed, "1.0.0", new string('a', 128), "abc", DeploymentKind.Deploy, "test"), CancellationToken.None));
        var rollback = await Should.ThrowAsync<RecipeException>(() => deployment.RollbackAsync(environment, feed, "test", CancellationToken.None));

        foreach (var error in new[] { deploy, rollback })
        {
            error.Message.ShouldBe(
                $"Environment 'dev' needs its secrets before deploying: Shop__ApiKey comes from the variable {Variable}, which is not set. " +
                "Set it in the build's environment (on CI, from the server's secret store) and run again.");
        }

        feed.Touched.ShouldBeFalse("nothing was downloaded");
        File.Exists(ledgerPath).ShouldBeFalse("nothing was recorded, not even a lock");
        Directory.Exists(_state.Combine("releases")).ShouldBeFalse("no release folder was created");
    }

    /// <summary>A feed that records being used at all.</summary>
    private sealed class UntouchableFeed : IPackageFeed
    {
        public bool Touched { get; private set; }

        public string DisplayName => "untouchable feed";

        public Task<string?> GetSha512Async(string id, string version, CancellationToken cancellationToken) => Touch<string?>(null);

        public Task<bool> DownloadAsync(string id, string version, Stream destination, CancellationToken cancellationToken) => Touch(false);

        public Task PushAsync(PackageFile package, CancellationToken cancellationToken) => Touch(true);

        private Task<T> Touch<T>(T result)
        {
            Touched = true;
            return Task.FromResult(result);
        }
    }
}
