using System.Globalization;

namespace Recipes.Deployment.Drift;

/// <summary>How a file of a live release differs from what was deployed.</summary>
internal enum DriftKind
{
    /// <summary>Its content (size or SHA-256) is not what was deployed.</summary>
    Changed,

    /// <summary>It was not in the release as deployed.</summary>
    Added,

    /// <summary>It was deployed and is gone.</summary>
    Missing,

    /// <summary>Its content is as deployed, its permissions are not.</summary>
    ModeChanged,
}

/// <summary>One file that drifted.</summary>
/// <param name="Kind">How.</param>
/// <param name="Path">Its path relative to the release folder.</param>
/// <param name="Detail">What differs, for the report: <c>size 120 -&gt; 134, mode 0400 -&gt; 0600</c>; empty when the kind says it all.</param>
internal sealed record DriftFinding(DriftKind Kind, string Path, string Detail)
{
    /// <summary>The report's line: <c>changed  appsettings.json (size 120 -&gt; 134)</c>.</summary>
    public override string ToString()
    {
        var kind = Kind switch
        {
            DriftKind.ModeChanged => "mode",
            _ => Kind.ToString().ToLowerInvariant(),
        };
        return Detail.Length == 0 ? $"{kind,-8} {Path}" : $"{kind,-8} {Path} ({Detail})";
    }
}

/// <summary>Compares a release's files as found now with its manifest, leaving out what the ignore patterns name.</summary>
internal static class DriftComparison
{
    /// <summary>
    /// Each file of <paramref name="live"/> that differs from <paramref name="deployed"/>, sorted by path: changed
    /// content, added, missing, or only its mode changed. A mode is compared only where both sides have one.
    /// </summary>
    public static IReadOnlyList<DriftFinding> Compare(IReadOnlyList<ReleaseFileEntry> deployed, IReadOnlyList<ReleaseFileEntry> live, IgnorePatterns ignore)
    {
        var before = deployed.Where(entry => !ignore.Ignores(entry.Path)).ToDictionary(entry => entry.Path, StringComparer.Ordinal);
        var now = live.Where(entry => !ignore.Ignores(entry.Path)).ToDictionary(entry => entry.Path, StringComparer.Ordinal);
        var findings = new List<DriftFinding>();
        foreach (var (path, was) in before)
        {
            if (!now.TryGetValue(path, out var found))
            {
                findings.Add(new DriftFinding(DriftKind.Missing, path, string.Empty));
                continue;
            }

            var modeChanged = was.Mode is { } a && found.Mode is { } b && a != b;
            var mode = modeChanged ? $"mode {was.ModeText} -> {found.ModeText}" : null;
            if (was.Size != found.Size || !string.Equals(was.Sha256, found.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                var content = was.Size != found.Size
                    ? string.Create(CultureInfo.InvariantCulture, $"size {was.Size} -> {found.Size}")
                    : $"sha256 {Short(was.Sha256)} -> {Short(found.Sha256)}";
                findings.Add(new DriftFinding(DriftKind.Changed, path, mode is null ? content : $"{content}, {mode}"));
            }
            else if (mode is not null)
            {
                findings.Add(new DriftFinding(DriftKind.ModeChanged, path, mode));
            }
        }

        findings.AddRange(now.Keys.Where(path => !before.ContainsKey(path)).Select(path => new DriftFinding(DriftKind.Added, path, string.Empty)));
        return [.. findings.OrderBy(finding => finding.Path, StringComparer.Ordinal)];
    }

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] + "…" : sha256;
}
