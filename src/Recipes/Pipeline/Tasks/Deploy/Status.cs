using System.Globalization;
using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Shows each environment as it runs on this machine: its router, the route in force, the release in each slot with
/// its process, and what the ledger says is live.
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

    internal static IEnumerable<string> StatusLines(EnvironmentStatus status)
    {
        var environment = status.Environment;
        var router = status.RouterPid is { } pid ? $"router on http://127.0.0.1:{environment.Port}/ (pid {pid})" : $"router stopped (port {environment.Port})";
        yield return $"{environment.Name}: {State(status)}; {router}";
        if (status.LedgerUnreadable is { } unreadable)
        {
            yield return "  " + unreadable.Message;
        }

        if (status.RouterSupervision is { } routerSupervision)
        {
            yield return $"  router {routerSupervision}";
        }

        foreach (var slot in status.Slots)
        {
            var process = slot.Process;
            var weight = status.Route?.Destinations.FirstOrDefault(d => d.Address.Port == process.Port && slot.State == SlotState.Running)?.Weight;
            var mirrored = status.Route?.Mirror is { } mirror && mirror.Address.Port == process.Port && slot.State == SlotState.Running;
            var traffic = weight is { } w ? string.Create(CultureInfo.InvariantCulture, $", {w}% of traffic") : mirrored ? ", mirrored traffic" : string.Empty;
            var state = slot.Supervision?.ToString() ?? slot.State.ToString().ToLowerInvariant();
            var appPid = slot.Supervision?.ProgramPid ?? process.Pid;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {process.Slot,-6} {process.Release.Id} {process.Release.Version} ({process.Release.ShortDigest}) {state}, pid {appPid}, port {process.Port}{traffic}");
        }
    }

    /// <summary>
    /// Live while a slot runs; stopped (with the ledger's live release, what a start brings back) after Stop; down when
    /// every release ended without a Stop.
    /// </summary>
    private static string State(EnvironmentStatus status)
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
        return status.Slots.Any(slot => slot.State == SlotState.Running) ? $"live {release}"
            : status.Slots.Any(slot => slot.State == SlotState.Dead) ? $"down {release}: no release runs, and not because of a Stop"
            : $"stopped {release}";
    }
}
