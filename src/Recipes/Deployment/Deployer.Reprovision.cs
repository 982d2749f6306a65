using Recipes.Feeds;

namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    /// <summary>
    /// Rebuilds hosts of <paramref name="environment"/> from the ledger and the feed alone: the live row's exact version
    /// is fetched again, its digest checked, and the target puts it on <paramref name="host"/> (every host when null).
    /// Within the environment's lock; the live row notes the rebuild.
    /// </summary>
    /// <exception cref="RecipeException">The target has no hosts, nothing is deployed, the digest differs, or a host failed.</exception>
    public async Task<IReadOnlyList<string>> ReprovisionAsync(DeploymentEnvironment environment, IPackageFeed feed, string? host, string who, CancellationToken cancellationToken)
    {
        RequireSecrets(environment);
        var target = Target(environment);
        var rebuilder = target as IReprovisioning
            ?? throw new RecipeException(NoHostsToRebuild(environment));
        using (await LockAsync(environment, $"Reprovision of {environment.Name}{(host is null ? string.Empty : $" host {host}")} by {who}", cancellationToken))
        {
            var live = Ledger.Live(environment.Name)
                ?? throw new RecipeException($"Nothing is deployed to {environment.Name}, so there is no live release to rebuild a host with; deploy with ./build.sh --target=Deploy --environment={environment.Name}.");
            var request = new DeploymentRequest(environment, feed, live.Version, live.Digest, live.Commit, live.Kind, who);
            await using var artifact = await FetchCheckedAsync(target, request, cancellationToken);
            var lines = await rebuilder.ReprovisionAsync(new TargetReprovision(environment, live, artifact, host, StartOptions(environment)), cancellationToken);
            Ledger.AddNote(live.Id, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}Z reprovisioned by {who}: {string.Join("; ", lines)}");
            return lines;
        }
    }

    /// <summary>Why Reprovision refuses an environment whose target has no hosts, in one line.</summary>
    internal static string NoHostsToRebuild(DeploymentEnvironment environment) =>
        $"Reprovision rebuilds hosts; environment '{environment.Name}' has target {environment.Target}, which has none: deploy it again instead.";
}
