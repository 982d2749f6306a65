using Recipes.Deployment;

namespace Recipes.Insight;

/// <summary>
/// DORA's four keys from one environment's ledger rows and the repository's commits. A deployment is a Deploy or
/// Promote row that ended; feature releases are not deployments, and rollbacks count only as recoveries.
/// </summary>
internal static class DeliveryMetrics
{
    /// <param name="rows">Every row of the environment, oldest first (<see cref="DeploymentLedger"/>'s All).</param>
    /// <param name="period">The period whose deployments count.</param>
    /// <param name="commits">Where the commits between deployed versions come from.</param>
    public static KeyFigures Compute(IReadOnlyList<DeploymentRecord> rows, MetricsPeriod period, ICommitHistory commits)
    {
        var ordered = rows.Where(r => r.Outcome != DeploymentOutcome.Running && r.Kind is not (DeploymentKind.Release or DeploymentKind.Contract)).OrderBy(r => r.Id).ToList();
        var deployments = ordered.Where(r => IsForward(r) && period.Contains(r.Started)).ToList();
        var successful = deployments.Where(WentLive).ToList();
        var problems = new List<string>();
        return new KeyFigures(
            period,
            deployments.Count,
            successful.Count,
            deployments.Count(d => IsFailure(d, ordered)),
            LeadTimes(successful, ordered, commits, problems),
            Recoveries(ordered, period, out var unrecovered),
            unrecovered,
            problems);
    }

    internal static bool IsForward(DeploymentRecord row) => row.Kind is DeploymentKind.Deploy or DeploymentKind.Promote;

    private static bool WentLive(DeploymentRecord row) => row.Outcome is DeploymentOutcome.Succeeded or DeploymentOutcome.RolledBack;

    /// <summary>Failed, rolled back, or followed by a rollback (even one that failed: someone judged the release bad).</summary>
    internal static bool IsFailure(DeploymentRecord row, IReadOnlyList<DeploymentRecord> ordered) =>
        IsForward(row) && (row.Outcome is DeploymentOutcome.Failed or DeploymentOutcome.RolledBack
            || ordered.FirstOrDefault(r => r.Id > row.Id && r.Outcome != DeploymentOutcome.Running && r.Kind is not (DeploymentKind.Release or DeploymentKind.Contract))?.Kind == DeploymentKind.Rollback);

    /// <summary>Each commit a deployment brought that the previous one to go live there did not, to when it went live.</summary>
    private static List<TimeSpan> LeadTimes(List<DeploymentRecord> successful, List<DeploymentRecord> ordered, ICommitHistory commits, List<string> problems)
    {
        var leadTimes = new List<TimeSpan>();
        var counted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var deployment in successful)
        {
            var previous = ordered.LastOrDefault(r => r.Id < deployment.Id && IsForward(r) && WentLive(r));
            if (previous is not null && string.Equals(previous.Commit, deployment.Commit, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var lookup = commits.Between(previous?.Commit, deployment.Commit);
            if (lookup.Problem is { } problem)
            {
                problems.Add($"lead time of {deployment.Version} (deployment {deployment.Id}): {problem}");
                continue;
            }

            var live = deployment.Ended ?? deployment.Started;
            leadTimes.AddRange(lookup.Commits.Where(c => counted.Add(c.Sha)).Select(c => live - c.Committed));
        }

        return leadTimes;
    }

    /// <summary>
    /// Outages: from the end of the first failed deployment of a run of failures to the end of the next deployment or
    /// rollback that succeeded and stayed. An outage belongs to the period its first failure started in.
    /// </summary>
    private static List<TimeSpan> Recoveries(List<DeploymentRecord> ordered, MetricsPeriod period, out int unrecovered)
    {
        var recoveries = new List<TimeSpan>();
        DeploymentRecord? firstFailure = null;
        foreach (var row in ordered)
        {
            if (IsFailure(row, ordered))
            {
                firstFailure ??= row;
            }
            else if (row.Outcome == DeploymentOutcome.Succeeded && firstFailure is not null)
            {
                if (period.Contains(firstFailure.Started))
                {
                    recoveries.Add((row.Ended ?? row.Started) - (firstFailure.Ended ?? firstFailure.Started));
                }

                firstFailure = null;
            }
        }

        unrecovered = firstFailure is not null && period.Contains(firstFailure.Started) ? 1 : 0;
        return recoveries;
    }
}
