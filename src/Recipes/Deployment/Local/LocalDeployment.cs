using Recipes.Deployment.Routing;
using Recipes.Deployment.Slots;
using Recipes.Feeds;

namespace Recipes.Deployment.Local;

/// <summary>
/// The <c>local</c> deployment target: each environment's releases run as processes on this machine, in two slots
/// behind the environment's router, unpacked from packages of the feed. Its constructors that take a ledger also make
/// it a <see cref="Deployer"/> of its own environments (lock, ledger rows, digest check), as tests and the bench use it.
/// </summary>
internal sealed partial class LocalDeployment : SlotTarget
{
    /// <summary>Release folders kept per environment besides those in use, for rollbacks without the feed.</summary>
    public const int KeptReleases = LocalReleaseArtifacts.KeptReleases;

    /// <summary>The variable that tells a release where its environment's features file is.</summary>
    public const string FeaturesFileVariable = Deployer.FeaturesFileVariable;

    private readonly ProcessSupervisor _supervisor;
    private readonly Func<DeploymentLedger>? _openLedger;
    private readonly TimeSpan _lockWait;
    private Deployer? _deployer;

    /// <summary>The local target for a repository's state folder, as the registration table creates it.</summary>
    public LocalDeployment(string stateDirectory, Action<string> log)
        : this(stateDirectory, new ProcessSupervisor(Path.Combine(stateDirectory, "slots")) { DataRoot = stateDirectory }, log)
    {
    }

    /// <summary>The local target and a deployer of its environments, on <paramref name="ledger"/>.</summary>
    public LocalDeployment(string stateDirectory, DeploymentLedger ledger, TimeSpan lockWait, Action<string> log)
        : this(stateDirectory, () => ledger, lockWait, log)
    {
    }

    /// <summary>Opens the ledger on first use, so that Stop and Status still work when it cannot be read.</summary>
    public LocalDeployment(string stateDirectory, Func<DeploymentLedger> openLedger, TimeSpan lockWait, Action<string> log)
        : this(stateDirectory, log)
    {
        _openLedger = openLedger;
        _lockWait = lockWait;
    }

    private LocalDeployment(string stateDirectory, ProcessSupervisor supervisor, Action<string> log)
        : base(DeploymentEnvironment.LocalTarget, stateDirectory, supervisor, new LocalReleaseArtifacts(stateDirectory, log), log)
    {
        _supervisor = supervisor;
    }

    /// <summary>The local target's entry in <see cref="DeploymentTargets"/>: no fields of its own.</summary>
    public static DeploymentTargetRegistration Registration { get; } = new(
        DeploymentEnvironment.LocalTarget,
        [],
        _ => null,
        services => new LocalDeployment(services.StateDirectory, services.Log) { ProgressInterval = services.ProgressInterval });

    /// <summary>How often a deployment waiting for the environment's lock says who holds it.</summary>
    public TimeSpan LockReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The deployer over this target alone.</summary>
    private Deployer Deployer => _deployer ??= new Deployer(
        _openLedger ?? throw new InvalidOperationException("This local target was created without a ledger; deploy through a Deployer."),
        _lockWait,
        new DeploymentTargets([Registration with { Create = _ => this }]),
        new TargetServices(StateDirectory, Log, null))
    {
        LockReportInterval = LockReportInterval,
    };

    /// <inheritdoc cref="Deployment.Deployer.UnsetSecrets"/>
    public static string? UnsetSecrets(DeploymentEnvironment environment) => Deployer.UnsetSecrets(environment);

    /// <inheritdoc cref="Deployment.Deployer.DeployAsync"/>
    public Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken) =>
        Deployer.DeployAsync(request, cancellationToken);

    /// <inheritdoc cref="Deployment.Deployer.RollbackAsync"/>
    public Task<DeploymentResult> RollbackAsync(DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken) =>
        Deployer.RollbackAsync(environment, feed, who, cancellationToken);

    /// <inheritdoc cref="Deployment.Deployer.StopAsync"/>
    public Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        Deployer.StopAsync(environment, cancellationToken);

    /// <summary>The environment's router, slots and live release, as they are now, with the local details.</summary>
    public async Task<EnvironmentStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var router = Router(environment);
        var (pid, route) = await RouteAsync(router, cancellationToken);
        var (live, unreadable) = Deployer.ReadLive(environment);
        return new EnvironmentStatus(environment, pid, route, _supervisor.Status(environment.Name), live)
        {
            LedgerUnreadable = unreadable,
            RouterSupervision = router.Supervision(),
        };
    }
}

/// <summary>An environment as it is now on this machine.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="RouterPid">The router's process id, or null when it does not run.</param>
/// <param name="Route">The route in force, or null.</param>
/// <param name="Slots">The slots and their processes.</param>
/// <param name="Live">The ledger's live row, or null.</param>
internal sealed record EnvironmentStatus(DeploymentEnvironment Environment, int? RouterPid, RouteConfig? Route, IReadOnlyList<SlotStatus> Slots, DeploymentRecord? Live)
{
    /// <summary>Why the ledger could not be read (then <see cref="Live"/> is unknown), or null.</summary>
    public DeploymentLedgerUnreadableException? LedgerUnreadable { get; init; }

    /// <summary>Whether the router runs or is being restarted, its restarts and last exit; null when it was never started.</summary>
    public SupervisionStatus? RouterSupervision { get; init; }

    /// <summary>The same, as Status shows every target's environments.</summary>
    public DeploymentStatus ToDeploymentStatus() =>
        new(Environment, Live, LedgerUnreadable, SlotTarget.Describe(Environment, RouterPid, Route, RouterSupervision, [.. Slots.Select(ProcessSupervisor.Report)]));
}
