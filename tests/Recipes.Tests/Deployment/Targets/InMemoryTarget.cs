using Recipes.Deployment;

namespace Recipes.Tests.Deployment.Targets;

/// <summary>
/// A second deployment target that runs nothing: it "fetches" an artifact of a digest the test chooses and records
/// each call, with whether the environment's lock was held and what the ledger said at that moment.
/// </summary>
internal sealed class InMemoryTarget(string ledgerPath) : IDeploymentTarget
{
    public const string TargetName = "memory";

    /// <summary>The digest the next fetched artifact has; the request's own when null.</summary>
    public string? FetchedDigest { get; set; }

    /// <summary>What DeployAsync throws, when set.</summary>
    public Exception? DeployFailure { get; set; }

    /// <summary>The package file a fetched version carries (for its migration scripts), by version; none when absent.</summary>
    public Dictionary<string, string> PackageFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>What Status says runs, besides the headline.</summary>
    public List<ReleaseStatus> Releases { get; } = [];

    /// <summary>Run at the start of DeployAsync, to look at what the deployer did before the target starts anything.</summary>
    public Action? OnDeploy { get; set; }

    /// <summary>The calls made, in order: Fetch, Deploy, Rollback, Status, Stop.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Whether the environment was locked during the last DeployAsync.</summary>
    public bool LockedDuringDeploy { get; private set; }

    /// <summary>The ledger's newest row of the environment during the last DeployAsync.</summary>
    public DeploymentRecord? RowDuringDeploy { get; private set; }

    /// <summary>Whether the fetched artifact was disposed (its download deleted) once the deployment was over.</summary>
    public bool ArtifactCleanedUp { get; private set; }

    public string Name => TargetName;

    public static DeploymentTargetRegistration Registration(InMemoryTarget target) =>
        new(TargetName, ["memory-slots"], fields => fields.OptionalInt("memory-slots", 1, 8), _ => target);

    public Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        Calls.Add("Fetch");
        return Task.FromResult(new FetchedArtifact(FetchedDigest ?? request.Digest, "sha256", "in memory", request.Version)
        {
            PackageFile = PackageFiles.GetValueOrDefault(request.Version),
            Cleanup = () =>
            {
                ArtifactCleanedUp = true;
                return ValueTask.CompletedTask;
            },
        });
    }

    public Task<TargetResult> DeployAsync(TargetDeployment deployment, CancellationToken cancellationToken)
    {
        Calls.Add("Deploy");
        OnDeploy?.Invoke();
        var environment = deployment.Request.Environment.Name;
        LockedDuringDeploy = IsLocked(environment);
        RowDuringDeploy = DeploymentLedger.Open(ledgerPath).History(environment).First();
        deployment.Journal.Note($"{deployment.Artifact.Handle} held in memory");
        if (DeployFailure is { } failure)
        {
            throw failure;
        }

        return Task.FromResult(new TargetResult(deployment.Request.Version, TimeSpan.FromMilliseconds(1)));
    }

    public Task<TargetResult> RollbackAsync(TargetRollback rollback, CancellationToken cancellationToken)
    {
        Calls.Add("Rollback");
        rollback.Journal.Note($"{rollback.To.Version} back in memory");
        return Task.FromResult(new TargetResult(rollback.To.Version, null));
    }

    public Task<TargetStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        Calls.Add("Status");
        return Task.FromResult(new TargetStatus("held in memory", [.. Releases], ["memory target line"]));
    }

    public Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        Calls.Add("Stop");
        return Task.FromResult<IReadOnlyList<string>>([]);
    }

    private bool IsLocked(string environment)
    {
        try
        {
            using var probe = DeploymentLedger.Open(ledgerPath).AcquireLock(environment, "probe", TimeSpan.Zero);
            return false;
        }
        catch (DeploymentLockedException)
        {
            return true;
        }
    }
}
