using NuGet.Versioning;

namespace Recipes.Versioning;

/// <summary>
/// Refuses a computed version below what the team already declared or released: a project's own Version/VersionPrefix,
/// or a release of the same package in the feed. Release tags that the built branch does not contain make GitVersion
/// count from an older tag, and the result would otherwise go out below the real release unnoticed.
/// </summary>
internal static class VersionFloor
{
    /// <summary>The setting that accepts a lower version.</summary>
    public const string AllowSetting = "allow-lower-version";

    /// <summary>
    /// Checks <paramref name="version"/> against the Version/VersionPrefix of each project that declares one. Only the
    /// release part counts: <c>3.0.1-ci.4</c> is on its way to a declared 3.0.1.
    /// </summary>
    /// <param name="version">The computed version.</param>
    /// <param name="declared">Each project's path (for the message) and the version its files declare.</param>
    /// <param name="allowLower">The <c>allow-lower-version</c> setting: warn instead of refusing.</param>
    /// <param name="warn">Receives the warning when <paramref name="allowLower"/> lets a lower version through.</param>
    /// <exception cref="VersioningException">The version is lower and <paramref name="allowLower"/> is false.</exception>
    public static void CheckDeclared(string version, IEnumerable<(string Project, string Version)> declared, bool allowLower, Action<string> warn)
    {
        var computed = NuGetVersion.Parse(version);
        // A list, not MaxBy on the tuples: MaxBy of an empty sequence of value types throws.
        var parsed = declared
            .Select(d => (d.Project, Version: NuGetVersion.TryParse(d.Version, out var version) ? version : null))
            .Where(d => d.Version is not null)
            .OrderByDescending(d => new NuGetVersion(d.Version!.Major, d.Version.Minor, d.Version.Patch))
            .ToList();
        if (parsed.Count == 0)
        {
            return;
        }

        var highest = parsed[0];
        if (highest.Version is not { } floor
            || !IsBelow(new NuGetVersion(computed.Major, computed.Minor, computed.Patch), new NuGetVersion(floor.Major, floor.Minor, floor.Patch)))
        {
            return;
        }

        Report(
            $"Version {computed} is lower than {floor.Major}.{floor.Minor}.{floor.Patch}, the version {highest.Project} declares (Version/VersionPrefix)",
            $"`next-version: {floor.Major}.{floor.Minor}.{floor.Patch}` in GitVersion.yml or tag a commit this branch contains v{floor.Major}.{floor.Minor}.{floor.Patch}",
            allowLower,
            warn);
    }

    /// <summary>Checks <paramref name="version"/> of <paramref name="packageId"/> against the releases the feed holds.</summary>
    /// <param name="packageId">The package.</param>
    /// <param name="version">The version about to be published.</param>
    /// <param name="inFeed">The versions of the package in the feed; pre-releases are left out, as each branch numbers its own.</param>
    /// <param name="feed">The feed, for the message.</param>
    /// <param name="allowLower">Warn instead of refusing.</param>
    /// <param name="warn">Receives the warning.</param>
    /// <exception cref="VersioningException">The version is lower and <paramref name="allowLower"/> is false.</exception>
    public static void CheckFeed(string packageId, string version, IEnumerable<NuGetVersion> inFeed, string feed, bool allowLower, Action<string> warn)
    {
        var computed = NuGetVersion.Parse(version);
        if (inFeed.Where(v => !v.IsPrerelease).Max() is not { } released || !IsBelow(computed, released))
        {
            return;
        }

        var next = $"{released.Major}.{released.Minor}.{released.Patch + 1}";
        Report(
            $"{packageId} {computed} is lower than {released.ToNormalizedString()}, already in the feed {feed}",
            $"`next-version: {next}` in GitVersion.yml or tag a commit this branch contains v{released.ToNormalizedString()}",
            allowLower,
            warn);
    }

    private static bool IsBelow(NuGetVersion computed, NuGetVersion floor) => VersionComparer.VersionRelease.Compare(computed, floor) < 0;

    private static void Report(string problem, string fix, bool allowLower, Action<string> warn)
    {
        if (allowLower)
        {
            warn($"{problem}; going ahead because {AllowSetting} is set.");
            return;
        }

        throw new VersioningException($"{problem}; set {fix} (or set {AllowSetting}=true to accept the lower version).");
    }
}
