namespace Recipes.Deployment.Toggles;

/// <summary>
/// Releases a feature without a deployment: changes who sees it in an environment's features file, which the
/// running app reloads, and records the change in the deployment ledger as a <see cref="DeploymentKind.Release"/>.
/// </summary>
public static class FeatureRelease
{
    /// <summary>The ledger's strategy for a feature release, which changes no version.</summary>
    public const string Strategy = "feature";

    /// <summary>
    /// Checks the request and sets how <paramref name="feature"/> is exposed in <paramref name="environment"/>'s
    /// features file; the file is not written when nothing changes.
    /// </summary>
    /// <param name="file">The environment's features file.</param>
    /// <param name="environment">The environment's name, for messages and the ledger.</param>
    /// <param name="declaredFeatures">The features the environment declares under <c>features</c> in the environments file.</param>
    /// <param name="feature">The feature to change; it must be declared.</param>
    /// <param name="exposure">Who sees it from now on.</param>
    /// <returns>The exposure before and after, for the ledger and the run summary.</returns>
    /// <exception cref="FeatureReleaseException">The feature is undeclared, a percentage or name is invalid, or the file is unusable.</exception>
    public static FeatureChange Set(FeatureToggleFile file, string environment, IEnumerable<string> declaredFeatures, string feature, FeatureExposure exposure)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(declaredFeatures);
        ArgumentNullException.ThrowIfNull(exposure);
        Check(environment, declaredFeatures.ToList(), feature, exposure);

        var before = file.Read(feature);
        var change = new FeatureChange(environment, feature, before, exposure, file.Path);
        if (change.Changed)
        {
            file.Write(feature, exposure);
        }

        return change;
    }

    /// <summary>
    /// Records <paramref name="change"/> in the ledger as a succeeded <see cref="DeploymentKind.Release"/> of the
    /// version that serves the environment (its version, digest and commit are kept), with the change as details.
    /// </summary>
    /// <param name="ledger">The deployment ledger.</param>
    /// <param name="change">What <see cref="Set"/> changed.</param>
    /// <param name="artifact">The environment's artifact, used when nothing is deployed there yet.</param>
    /// <param name="who">The user who released the feature.</param>
    /// <returns>The ledger row's id.</returns>
    public static long Record(DeploymentLedger ledger, FeatureChange change, string artifact, string who)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(change);
        var live = ledger.Live(change.Environment);
        var id = ledger.Begin(new DeploymentRecord(
            change.Environment,
            live?.Artifact ?? artifact,
            live?.Version ?? string.Empty,
            live?.Digest ?? string.Empty,
            live?.Commit ?? string.Empty,
            Strategy,
            DeploymentKind.Release,
            who) { Details = change.Details });
        ledger.Complete(id, DeploymentOutcome.Succeeded);
        return id;
    }

    private static void Check(string environment, List<string> declared, string feature, FeatureExposure exposure)
    {
        if (string.IsNullOrWhiteSpace(feature))
        {
            throw new FeatureReleaseException($"No feature named; pass --feature=NAME with one of the features of '{environment}': {Names(declared)}.");
        }

        if (!declared.Contains(feature, StringComparer.Ordinal))
        {
            throw new FeatureReleaseException(declared.Count == 0
                ? $"Environment '{environment}' declares no features; add '{feature}' under 'features:' of '{environment}' in environments.yml first."
                : $"Feature '{feature}' is not declared for environment '{environment}'; did you mean '{Closest(feature, declared)}'? (declared: {Names(declared)}; add new ones under 'features:' in environments.yml).");
        }

        Percent(exposure.Percentage, "the percentage", "--percentage=P");
        if (exposure.Percentage is not null && exposure.Targeting is not null)
        {
            throw new FeatureReleaseException($"Feature '{feature}' cannot have both a percentage and targeting; choose one.");
        }

        if (exposure.Targeting is { } targeting)
        {
            Percent(targeting.DefaultRolloutPercentage, "the default rollout percentage", "a default rollout");
            foreach (var group in targeting.Groups)
            {
                Percent(group.RolloutPercentage, $"the rollout percentage of group '{group.Name}'", "a group rollout");
            }

            if (targeting.Users.Any(string.IsNullOrWhiteSpace) || targeting.Groups.Any(g => string.IsNullOrWhiteSpace(g.Name)))
            {
                throw new FeatureReleaseException($"Targeting of feature '{feature}' names an empty user or group; give every user and group a name.");
            }
        }
    }

    private static void Percent(int? value, string what, string option)
    {
        if (value is < 0 or > 100)
        {
            throw new FeatureReleaseException($"{char.ToUpperInvariant(what[0])}{what[1..]} is {value}; give {option} a whole number from 0 to 100.");
        }
    }

    private static string Names(List<string> declared) => declared.Count == 0 ? "none" : string.Join(", ", declared);

    /// <summary>The declared name nearest to <paramref name="feature"/> by edit distance, ignoring case.</summary>
    internal static string Closest(string feature, IReadOnlyList<string> declared) =>
        declared.OrderBy(name => Distance(feature.ToUpperInvariant(), name.ToUpperInvariant())).ThenBy(name => name, StringComparer.Ordinal).First();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

/// <summary>What a feature release changed in an environment.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Feature">The feature.</param>
/// <param name="Before">Its exposure before, or null when the features file did not set it.</param>
/// <param name="After">Its exposure now.</param>
/// <param name="File">The features file.</param>
public sealed record FeatureChange(string Environment, string Feature, FeatureExposure? Before, FeatureExposure After, string File)
{
    /// <summary>Whether the exposure changed (the file is written only then).</summary>
    public bool Changed => !After.Equals(Before);

    /// <summary>The change in one line, for the ledger and the run summary: <c>NewCheckout: off -> 10%</c>.</summary>
    public string Details => $"{Feature}: {Before?.ToString() ?? "not set"} -> {After}{(Changed ? string.Empty : " (unchanged)")}";
}
