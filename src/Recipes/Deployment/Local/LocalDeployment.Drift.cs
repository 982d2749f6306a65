using Recipes.Deployment.Drift;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

internal sealed partial class LocalDeployment : IReleaseFileListing
{
    /// <summary>The release folder of every slot whose release was not stopped (a dead one is checked too: drift may be why it died).</summary>
    Task<IReadOnlyList<LiveRelease>> IReleaseFileListing.ListLiveAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LiveRelease>>([.. _supervisor.Status(environment.Name)
            .Where(slot => slot.State != SlotState.Stopped)
            .Select(slot => List($"slot {slot.Process.Slot}", slot.Process.Release))]);

    private static LiveRelease List(string place, Release release)
    {
        var name = Path.GetFileName(release.Folder);
        if (!Directory.Exists(release.Folder))
        {
            // Every file is missing: drift, not an error of the check.
            return new LiveRelease(place, name, release.Version, []);
        }

        try
        {
            return new LiveRelease(place, name, release.Version, ReleaseFileEntry.OfFolder(release.Folder));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new LiveRelease(place, name, release.Version, null, $"{release.Folder} cannot be read ({exception.Message})");
        }
    }
}
