using System.Globalization;
using Cake.Core.Diagnostics;
using Recipes.Deployment.Local;
using Recipes.Deployment.Slots;
using Recipes.Deployment;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Shows each environment as its target runs it: what the ledger says is live, each release with its version, digest,
/// health and share of traffic, and what the target adds (for the local target: its router and processes).
/// </summary>
[TaskName("Status")]
[TaskDescription("Show the releases running on this machine ([--environment=NAME], default all)")]
public sealed class Status : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RecipeContext context)
    {
        var deployment = DeployArguments.Deployment(context);
        foreach (var environment in DeployArguments.EnvironmentOrAll(context, "Status"))
        {
            foreach (var line in StatusLines(await deployment.StatusAsync(environment, CancellationToken.None)))
            {
                context.Log.Information("{0}", line);
            }
        }
    }

    /// <summary>The Status lines of a local environment (tests read them from <see cref="LocalDeployment.StatusAsync"/>).</summary>
    internal static IEnumerable<string> StatusLines(EnvironmentStatus status) => StatusLines(status.ToDeploymentStatus());

    /// <summary>
    /// An environment's Status lines, the same for every target: the ledger's live release and the target's headline,
    /// then the target's own lines, then each release with its version, digest, health and share of traffic.
    /// </summary>
    internal static IEnumerable<string> StatusLines(DeploymentStatus status)
    {
        var environment = status.Environment;
        yield return $"{environment.Name}: {State(status)}; {status.Target.Headline}";
        if (status.LedgerUnreadable is { } unreadable)
        {
            yield return "  " + unreadable.Message;
        }

        foreach (var line in status.Target.Lines)
        {
            yield return "  " + line;
        }

        foreach (var release in status.Target.Releases)
        {
            var traffic = release.TrafficShare is { } share ? string.Create(CultureInfo.InvariantCulture, $", {share}% of traffic") : release.Mirrored ? ", mirrored traffic" : string.Empty;
            yield return $"  {release.Slot,-6} {release.Id} {release.Version} ({release.ShortDigest}) {release.Health}, {release.Where}{traffic}";
        }
    }

    /// <summary>
    /// Live while a release runs; stopped (with the ledger's live release, what a start brings back) after Stop; down
    /// when every release ended without a Stop.
    /// </summary>
    private static string State(DeploymentStatus status)
    {
        if (status.LedgerUnreadable is { } unreadable)
        {
            return $"the ledger {unreadable.DatabasePath} could not be read, so which release should be live is unknown";
        }

        if (status.Live is not { } row)
        {
            return "nothing deployed";
        }

        var release = $"{row.Artifact} {row.Version} (ledger #{row.Id}, {row.Kind} {row.Ended:yyyy-MM-dd HH:mm} UTC)";
        var releases = status.Target.Releases;
        return releases.Any(r => r.State == SlotState.Running) ? $"live {release}"
            : releases.Any(r => r.State == SlotState.Dead) ? $"down {release}: no release runs, and not because of a Stop"
            : $"stopped {release}";
    }
}
