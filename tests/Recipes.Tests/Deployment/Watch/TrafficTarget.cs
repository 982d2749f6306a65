using Recipes.Deployment;
using Recipes.Deployment.Routing;
using Recipes.Deployment.Watch;
using Recipes.Tests.Deployment.Targets;

namespace Recipes.Tests.Deployment.Watch;

/// <summary>
/// The in-memory target with a router the test scripts: one destination whose counters (since the router's start)
/// the test sets, and which gain <see cref="RequestsPerRead"/> requests, <see cref="ErrorsPerRead"/> of them 5xx,
/// at every read after a deployment.
/// </summary>
internal sealed class TrafficTarget(string ledgerPath) : IDeploymentTarget, IReleaseTraffic
{
    private readonly InMemoryTarget _inner = new(ledgerPath);
    private readonly object _gate = new();
    private long _requests;
    private long _errors;
    private bool _deployed;

    public long RequestsPerRead { get; set; }

    public long ErrorsPerRead { get; set; }

    public double? P95Ms { get; set; } = 12;

    /// <summary>Run at every read after a deployment, with the read's number (1 for the first).</summary>
    public Action<int>? OnRead { get; set; }

    private int _reads;

    /// <summary>The deployer's calls to the target, in order.</summary>
    public List<string> Calls => _inner.Calls;

    public string Name => InMemoryTarget.TargetName;

    public static DeploymentTargetRegistration Registration(TrafficTarget target) => new(InMemoryTarget.TargetName, [], _ => null, _ => target);

    /// <summary>Counters the router already had before the deployment (the old release's, or a router that ran long).</summary>
    public void CountedBefore(long requests, long errors)
    {
        lock (_gate)
        {
            (_requests, _errors) = (requests, errors);
        }
    }

    public Task<TrafficReading?> ReadTrafficAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_deployed)
            {
                OnRead?.Invoke(++_reads);
                _requests += RequestsPerRead;
                _errors += ErrorsPerRead;
            }

            var live = new DestinationMetrics("live", _requests, _errors, P95Ms, 0, 0, 0);
            return Task.FromResult<TrafficReading?>(new TrafficReading("live", new Dictionary<string, DestinationMetrics> { ["live"] = live }));
        }
    }

    public Task<FetchedArtifact> FetchAsync(DeploymentRequest request, CancellationToken cancellationToken) => _inner.FetchAsync(request, cancellationToken);

    public async Task<TargetResult> DeployAsync(TargetDeployment deployment, CancellationToken cancellationToken)
    {
        var result = await _inner.DeployAsync(deployment, cancellationToken);
        lock (_gate)
        {
            _deployed = true;
        }

        return result;
    }

    public async Task<TargetResult> RollbackAsync(TargetRollback rollback, CancellationToken cancellationToken)
    {
        var result = await _inner.RollbackAsync(rollback, cancellationToken);
        lock (_gate)
        {
            _deployed = false;
        }

        return result;
    }

    public Task<TargetStatus> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) => _inner.StatusAsync(environment, cancellationToken);

    public Task<IReadOnlyList<string>> StopAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) => _inner.StopAsync(environment, cancellationToken);
}
