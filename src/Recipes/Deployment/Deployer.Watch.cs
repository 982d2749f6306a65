using System.Diagnostics;
using Recipes.Deployment.Notify;
using Recipes.Deployment.Watch;
using Recipes.Feeds;

namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    /// <summary>How often the watch reads the router's metrics.</summary>
    public TimeSpan WatchPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a webhook post may take (then it is retried once, then given up).</summary>
    public TimeSpan WebhookTimeout { get; init; } = DeploymentNotifier.DefaultTimeout;

    /// <summary>
    /// Deploys the request's artifact by the environment's strategy on its target, the one way in for Deploy, Promote
    /// and every caller: the environment's webhook is told of its start and end, then its watch reads the new release's
    /// traffic from the router until the watch's duration after the deployment succeeded; a release that breaks a limit
    /// is rolled back and the run fails.
    /// </summary>
    /// <param name="request">What to deploy where, and for how long to watch it (<see cref="DeploymentRequest.WatchFor"/>).</param>
    /// <param name="cancellationToken">Cancels the deployment and the watch.</param>
    /// <exception cref="DeploymentLockedException">Another deployment to the environment held its lock too long.</exception>
    /// <exception cref="ReleaseDigestMismatchException">The artifact is not the one the manifest describes; nothing ran.</exception>
    /// <exception cref="DeploymentRefusedException">Approval is missing, or the version was rolled back and is not forced; nothing ran.</exception>
    /// <exception cref="WatchAlertException">The release broke a watch limit; it was rolled back (or the rollback failed, as the message says).</exception>
    /// <exception cref="RecipeException">The artifact is missing, or the new release failed a check.</exception>
    public async Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        await using var notifier = DeploymentNotifier.For(environment, Log, WebhookTimeout);
        var watch = WatchOf(environment, request.WatchFor);
        var traffic = watch is null ? null : Target(environment) as IReleaseTraffic;
        if (watch is not null && traffic is null)
        {
            Log($"{environment.Name} is not watched: its target '{environment.Target}' reports no traffic metrics");
        }

        notifier?.Post(Event(DeploymentEvent.Started, request, null, null));
        var baseline = traffic is null ? null : await ReadTrafficAsync(traffic, environment, cancellationToken);
        DeploymentResult result;
        try
        {
            result = await RunDeploymentAsync(request, cancellationToken);
        }
        catch (Exception failure)
        {
            notifier?.Post(Event(DeploymentEvent.Failed, request, failure is OperationCanceledException ? "cancelled" : failure.Message, null));
            throw;
        }

        notifier?.Post(Event(DeploymentEvent.Succeeded, request, null, null) with { LedgerId = result.LedgerId });
        if (watch is not null && traffic is not null)
        {
            await WatchAsync(request, result, watch, traffic, baseline, notifier, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Puts the release before the live one back, on the environment's target, and tells the environment's webhook
    /// that it rolled back (or failed to). The undone release is never a rollback target again; under a blue-green
    /// strategy it keeps serving its requests in flight for the grace period.
    /// </summary>
    /// <exception cref="RecipeException">Nothing is deployed, or there is no earlier release.</exception>
    public async Task<DeploymentResult> RollbackAsync(DeploymentEnvironment environment, IPackageFeed feed, string who, CancellationToken cancellationToken)
    {
        await using var notifier = DeploymentNotifier.For(environment, Log, WebhookTimeout);
        try
        {
            var result = await RunRollbackAsync(environment, feed, who, cancellationToken);
            notifier?.Post(RolledBackEvent(environment, result, $"rolled back by {who}", null));
            return result;
        }
        catch (RecipeException failure)
        {
            notifier?.Post(new DeploymentEvent(DeploymentEvent.Failed, environment.Name, environment.Artifact, string.Empty, string.Empty, $"rollback by {who} failed: {failure.Message}", null, DateTimeOffset.UtcNow));
            throw;
        }
    }

    /// <summary>The watch of this run: the environment's, with <paramref name="watchFor"/> as its duration when given; none for a zero duration.</summary>
    private WatchSettings? WatchOf(DeploymentEnvironment environment, TimeSpan? watchFor)
    {
        if (watchFor is not { } duration)
        {
            return environment.Watch;
        }

        if (duration == TimeSpan.Zero)
        {
            Log($"The watch of {environment.Name} is skipped for this run (--watch=0s)");
            return null;
        }

        return (environment.Watch ?? WatchSettings.Default) with { Duration = duration };
    }

    private async Task WatchAsync(DeploymentRequest request, DeploymentResult result, WatchSettings watch, IReleaseTraffic traffic, TrafficReading? baseline, DeploymentNotifier? notifier, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        var succeeded = Ledger.History(environment.Name).FirstOrDefault(row => row.Id == result.LedgerId)?.Ended ?? DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var since = DateTimeOffset.UtcNow - succeeded;
        Log($"Watching {request.Version} on {environment.Name} for {DurationText.Format(watch.Duration)} ({watch.Limits}); --watch=0s skips this");
        var lastProgress = TimeSpan.Zero;
        WatchFigures? figures = null;
        string? unreadable = null;
        // At least one reading, also when a grace period took up the whole duration: its traffic counts too.
        do
        {
            await Task.Delay(WatchPollInterval, cancellationToken);
            if (ChangedSince(environment, result.LedgerId) is { } change)
            {
                Log($"The watch of {request.Version} on {environment.Name} ends: {change.Kind} of {change.Version} (ledger #{change.Id}) changed the environment since");
                return;
            }

            TrafficReading? reading;
            try
            {
                reading = await traffic.ReadTrafficAsync(environment, cancellationToken);
            }
            catch (RecipeException failure)
            {
                // A router that stops answering for a moment is not a verdict on the release; say so once and go on.
                if (unreadable is null)
                {
                    Log($"The watch of {environment.Name} cannot read the router's metrics now ({failure.Message}); it keeps trying");
                }

                unreadable = failure.Message;
                continue;
            }

            if (reading is null)
            {
                continue;
            }

            figures = WatchRule.Measure(baseline, reading, since + clock.Elapsed);
            if (WatchRule.Breach(watch, figures) is { } breach)
            {
                await RollBackWatchedAsync(request, result, breach, figures, notifier, cancellationToken);
            }

            if (clock.Elapsed - lastProgress >= _services.ProgressInterval)
            {
                lastProgress = clock.Elapsed;
                Log($"watch of {request.Version} on {environment.Name}: {figures.Summary}");
            }
        }
        while (since + clock.Elapsed < watch.Duration);

        Log(figures is null || figures.Requests < watch.MinRequests
            ? $"The watch of {request.Version} on {environment.Name} ended after {DurationText.Format(watch.Duration)} with too few requests to judge ({figures?.Requests ?? 0} of {watch.MinRequests})"
            : $"{request.Version} on {environment.Name} stayed within the watch's limits for {DurationText.Format(watch.Duration)}: {figures.Summary}");
    }

    /// <summary>The watch's automatic rollback: the same rollback the Rollback target runs, with the breach written on both rows.</summary>
    /// <exception cref="WatchAlertException">Always: the run fails, the release rolled back or not.</exception>
    private async Task RollBackWatchedAsync(DeploymentRequest request, DeploymentResult result, string breach, WatchFigures figures, DeploymentNotifier? notifier, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        Log($"Watch alert on {environment.Name}: {request.Version} broke a limit ({breach}); rolling back");
        notifier?.Post(Event(DeploymentEvent.WatchAlert, request, breach, figures) with { LedgerId = result.LedgerId });
        Ledger.AddNote(result.LedgerId, breach);
        DeploymentResult rollback;
        try
        {
            rollback = await RunRollbackAsync(environment, request.Feed, "watch", cancellationToken);
        }
        catch (RecipeException failure)
        {
            notifier?.Post(Event(DeploymentEvent.Failed, request, $"{breach}; the automatic rollback failed: {failure.Message}", figures) with { LedgerId = result.LedgerId });
            throw new WatchAlertException($"{environment.Name}: {request.Version} {breach}, and the automatic rollback failed: {failure.Message}", failure);
        }

        Ledger.AddNote(rollback.LedgerId, breach);
        notifier?.Post(RolledBackEvent(environment, rollback, breach, figures));
        throw new WatchAlertException($"{environment.Name}: {request.Version} rolled back to {rollback.Version} by its watch ({breach}; ledger #{result.LedgerId}, rollback #{rollback.LedgerId})");
    }

    /// <summary>
    /// A deploy, promote or rollback after row <paramref name="id"/> that runs or succeeded: the environment is no longer
    /// (or soon not) the watched release's. A feature Release changes no release, and a failed deployment left it as it was.
    /// </summary>
    private DeploymentRecord? ChangedSince(DeploymentEnvironment environment, long id) =>
        Ledger.History(environment.Name).FirstOrDefault(row => row.Id > id && row.Kind != DeploymentKind.Release && row.Outcome != DeploymentOutcome.Failed);

    private async Task<TrafficReading?> ReadTrafficAsync(IReleaseTraffic traffic, DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        try
        {
            return await traffic.ReadTrafficAsync(environment, cancellationToken);
        }
        catch (RecipeException failure)
        {
            Log($"The router of {environment.Name} does not answer before the deployment ({failure.Message}); the watch counts its traffic from zero");
            return null;
        }
    }

    private static DeploymentEvent Event(string name, DeploymentRequest request, string? reason, WatchFigures? figures) =>
        new(name, request.Environment.Name, request.Environment.Artifact, request.Version, request.Digest, reason, figures is null ? null : EventFigures.From(figures), DateTimeOffset.UtcNow);

    private DeploymentEvent RolledBackEvent(DeploymentEnvironment environment, DeploymentResult result, string reason, WatchFigures? figures) =>
        new(DeploymentEvent.RolledBack, environment.Name, environment.Artifact, result.Version, Ledger.History(environment.Name).FirstOrDefault(row => row.Id == result.LedgerId)?.Digest ?? string.Empty,
            reason, figures is null ? null : EventFigures.From(figures), DateTimeOffset.UtcNow)
        {
            LedgerId = result.LedgerId,
        };
}
