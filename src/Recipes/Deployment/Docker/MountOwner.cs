using System.Globalization;

namespace Recipes.Deployment.Docker;

/// <summary>
/// The user a release container runs as: the owner of the folders mounted into it, that is the deploying process's
/// own uid:gid (it creates them).
/// </summary>
/// <remarks>
/// Why not the image's user: images the SDK builds on Microsoft's base images run as <c>app</c> (uid 1654), but the
/// mounts live in the state folder, which is the deploying user's alone (0700, files 0600). As <c>app</c> the release
/// could neither read the features file nor write its data folder; chowning them to 1654 would need root and open the
/// private state folder to whoever else has that uid on the machine. Running as the mounts' owner is what a local
/// release does (it runs as the deploying user), and keeps the state folder private.
/// </remarks>
internal static class MountOwner
{
    /// <summary><c>uid:gid</c> of this process (the effective ids, from /proc); null where /proc is not there, then the image's own user runs.</summary>
    public static string? OfThisProcess() => Read("/proc/self/status");

    /// <summary>The effective <c>uid:gid</c> from a /proc status file; null when it is missing or has no such lines.</summary>
    internal static string? Read(string statusFile)
    {
        if (!File.Exists(statusFile))
        {
            return null;
        }

        // "Uid:\treal\teffective\tsaved\tfs"; the effective id is what the folders were created with.
        string? Effective(string field) => File.ReadLines(statusFile)
            .Where(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(line => line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length > 2 && uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(parts => parts[2])
            .FirstOrDefault();
        return Effective("Uid") is { } uid && Effective("Gid") is { } gid ? $"{uid}:{gid}" : null;
    }
}
