using Recipes.Deployment.Drift;

namespace Recipes.Deployment.Hosts;

internal sealed partial class HostReleases
{
    /// <summary>
    /// The name a release's manifest is recorded under: its folder's name without the upload time, so that every host
    /// (and a host rebuilt later) that unpacked the same package shares one manifest: <c>Shop-1.2.0-0a1b2c3d4e5f</c>.
    /// </summary>
    public static string ManifestName(string folder)
    {
        var name = System.IO.Path.GetFileName(folder);
        var time = name.LastIndexOf('-');
        return time > 0 ? name[..time] : name;
    }

    /// <summary>The files of the release folder <paramref name="folder"/> on the host, listed by find and sha256sum there.</summary>
    /// <exception cref="RecipeException">The listing failed or could not be read.</exception>
    public async Task<IReadOnlyList<ReleaseFileEntry>> ListFilesAsync(string folder, CancellationToken cancellationToken)
    {
        var (status, output) = await session.RunAsync($"[ -d {Quote(folder)} ] || exit 3; " + RemoteFileListing.Command(folder), cancellationToken);
        return status switch
        {
            0 => RemoteFileListing.Parse(output, $"host {Host.Name}:{folder}"),
            3 => [], // The folder is gone: every file is missing, which is drift, not an error of the check.
            _ => throw new RecipeException($"Host {Host.Name}: listing {folder} failed (exit {status}): {output.ReplaceLineEndings(" ")}"),
        };
    }

    /// <summary>
    /// The release of every slot that was started and not stopped since (its supervisor's pid file is there, alive or
    /// not: drift may be why it died), with its files now.
    /// </summary>
    public async Task<IReadOnlyList<LiveRelease>> ListLiveAsync(string id, CancellationToken cancellationToken)
    {
        var (_, output) = await session.RunAsync(
            $"for slot in blue green; do f={Quote(Root)}/slots/$slot; [ -f \"$f/supervisor.pid\" ] && [ -f \"$f/release\" ] && echo \"$slot $(cat \"$f/release\")\"; done; true",
            cancellationToken);
        var live = new List<LiveRelease>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (slot, folder) = (line[..line.IndexOf(' ')], line[(line.IndexOf(' ') + 1)..]);
            var place = $"host {Host.Name} slot {slot}";
            var version = VersionOf(id, ManifestName(folder));
            try
            {
                live.Add(new LiveRelease(place, ManifestName(folder), version, await ListFilesAsync(folder, cancellationToken)));
            }
            catch (RecipeException exception)
            {
                live.Add(new LiveRelease(place, ManifestName(folder), version, null, exception.Message));
            }
        }

        return live;
    }

    /// <summary>The version in a manifest name <c>id-version-digest</c> (a version may have dashes of its own), or <c>?</c>.</summary>
    internal static string VersionOf(string id, string manifestName)
    {
        var digest = manifestName.LastIndexOf('-');
        return manifestName.StartsWith(id + "-", StringComparison.Ordinal) && digest > id.Length ? manifestName[(id.Length + 1)..digest] : "?";
    }
}
