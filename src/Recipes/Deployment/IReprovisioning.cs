using Recipes.Deployment.Slots;

namespace Recipes.Deployment;

/// <summary>
/// What a target of machines implements so that Reprovision can rebuild them (phoenix servers): the live release,
/// fetched again from the feed and checked by the deployer, is put on a host as if the host were new.
/// </summary>
internal interface IReprovisioning
{
    /// <summary>Puts <see cref="TargetReprovision.Live"/>'s release on the chosen hosts (all when none is named) and sends them traffic again.</summary>
    /// <returns>What was done, one line per host.</returns>
    /// <exception cref="RecipeException">The host is not the environment's, nothing serves, or the host failed (named); the other hosts keep serving.</exception>
    Task<IReadOnlyList<string>> ReprovisionAsync(TargetReprovision reprovision, CancellationToken cancellationToken);
}

/// <summary>A rebuild of hosts from the ledger's live row and its checked artifact.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Live">The ledger's live row: the release every host should serve.</param>
/// <param name="Artifact">Its artifact, fetched again by exact version and checked against the row's digest.</param>
/// <param name="Host">The host to rebuild (its address), or null for every host of the environment.</param>
/// <param name="StartOptions">Configuration, secrets and the features file.</param>
internal sealed record TargetReprovision(DeploymentEnvironment Environment, DeploymentRecord Live, FetchedArtifact Artifact, string? Host, ReleaseStartOptions StartOptions);
