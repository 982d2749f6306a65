namespace Recipes.Deployment.Drift;

/// <summary>One live release compared with its manifest.</summary>
/// <param name="Live">The release and where it runs.</param>
/// <param name="Findings">The files that differ; empty when none does.</param>
/// <param name="Problem">Why it could not be compared (not listed, no manifest), or null.</param>
internal sealed record PlaceDrift(LiveRelease Live, IReadOnlyList<DriftFinding> Findings, string? Problem)
{
    /// <summary>How many files of the release were compared, for the report.</summary>
    public int Compared { get; init; }
}

/// <summary>What a drift check of one environment found, place by place.</summary>
/// <param name="Environment">The environment's name.</param>
/// <param name="Places">Each live release checked.</param>
internal sealed record EnvironmentDrift(string Environment, IReadOnlyList<PlaceDrift> Places)
{
    /// <summary>How many files differ, over all places.</summary>
    public int DriftedFiles => Places.Sum(place => place.Findings.Count);

    /// <summary>The places that could not be checked.</summary>
    public IEnumerable<PlaceDrift> Unchecked => Places.Where(place => place.Problem is not null);

    /// <summary>The first file that differs and where, for a one-line warning: <c>slot blue: changed appsettings.json</c>; null when none does.</summary>
    public string? First => Places.FirstOrDefault(place => place.Findings.Count > 0) is { } place ? $"{place.Live.Place}: {place.Findings[0]}" : null;

    /// <summary>The report: a line per place, then a line per file that differs.</summary>
    public IEnumerable<string> Lines()
    {
        if (Places.Count == 0)
        {
            yield return $"{Environment}: no release runs, nothing to check";
        }

        foreach (var place in Places)
        {
            var where = $"{Environment} {place.Live.Place} ({place.Live.Version}, {place.Live.Release})";
            yield return place switch
            {
                { Problem: { } problem } => $"{where}: not checked: {problem}",
                { Findings.Count: 0 } => $"{where}: no drift ({place.Compared} files as deployed)",
                _ => $"{where}: {place.Findings.Count} file(s) differ from what was deployed",
            };

            foreach (var finding in place.Findings)
            {
                yield return "  " + finding;
            }
        }
    }
}

/// <summary>Compares each live release of an environment, as its target lists it, with the manifest recorded when it was deployed.</summary>
internal static class DriftCheck
{
    /// <summary>Checks every release <paramref name="listing"/> lists for <paramref name="environment"/>.</summary>
    /// <exception cref="RecipeException">A manifest file is damaged.</exception>
    public static async Task<EnvironmentDrift> RunAsync(DeploymentEnvironment environment, IReleaseFileListing listing, ReleaseManifests manifests, CancellationToken cancellationToken)
    {
        var places = new List<PlaceDrift>();
        foreach (var live in await listing.ListLiveAsync(environment, cancellationToken))
        {
            places.Add(Compare(environment, live, manifests));
        }

        return new EnvironmentDrift(environment.Name, places);
    }

    private static PlaceDrift Compare(DeploymentEnvironment environment, LiveRelease live, ReleaseManifests manifests)
    {
        if (live.Files is not { } files)
        {
            return new PlaceDrift(live, [], live.Problem ?? "its files could not be listed");
        }

        if (manifests.Load(environment.Name, live.Release) is not { } manifest)
        {
            return new PlaceDrift(live, [], $"no manifest was recorded for it (deployed before Recipes recorded them); deploy again to record one");
        }

        return new PlaceDrift(live, DriftComparison.Compare(manifest.Files, files, environment.DriftIgnore), null)
        {
            Compared = manifest.Files.Count(entry => !environment.DriftIgnore.Ignores(entry.Path)),
        };
    }
}
