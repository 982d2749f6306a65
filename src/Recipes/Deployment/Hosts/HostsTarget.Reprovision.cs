using Recipes.Deployment.Local;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// Phoenix hosts: a host is rebuilt from the ledger's live row and the feed alone, whatever is left on it (nothing, a
/// drifted folder, a dead release). The release goes to a fresh folder there (SHA-512 checked on the host), starts in
/// the slot nginx serves, is health-checked from here, and nginx sends traffic to every host of the environment again.
/// </summary>
internal sealed partial class HostsTarget : IReprovisioning
{
    public async Task<IReadOnlyList<string>> ReprovisionAsync(TargetReprovision reprovision, CancellationToken cancellationToken)
    {
        var environment = reprovision.Environment;
        var settings = (HostsSettings)environment.TargetSettings!;
        var chosen = reprovision.Host is not { } wanted ? settings.Hosts
            : settings.Hosts.Where(host => host.Address == wanted || host.Name == wanted).ToList() is { Count: > 0 } named ? named
            : throw new RecipeException($"--host={wanted} is not a host of environment '{environment.Name}' ({string.Join(", ", settings.Hosts.Select(host => host.Address))}); to replace a lost host, put the new one in its place in the environments file first.");
        var balancer = Balancer(environment);
        var slot = LiveSlot(environment, balancer)
            ?? throw new RecipeException($"nginx does not serve {environment.Name} (nothing is live on its hosts), so there is no live slot to rebuild {string.Join(", ", chosen.Select(host => host.Name))} into; deploy with ./build.sh --target=Deploy --environment={environment.Name}.");
        var port = SlotPort(environment, slot);
        var package = reprovision.Artifact.Handle as DownloadedPackage
            ?? throw new ArgumentException("The hosts target rebuilds hosts only from packages it downloaded itself.", nameof(reprovision));
        using var fleet = await FleetConnection.OpenAsync(environment, cancellationToken, chosen);
        var variables = await ReleaseVariablesAsync(reprovision.StartOptions, cancellationToken);
        var serving = settings.Hosts.Except(chosen).ToList();
        var lines = new List<string>();

        // One host at a time, out of nginx while its slot restarts (when another host can serve), so that rebuilding
        // every host never stops them all at once; a host that fails stays out and the others keep serving.
        foreach (var host in fleet.Hosts)
        {
            if (serving.Count > 0)
            {
                await balancer.SwitchAsync([.. serving.Select(entry => $"{entry.Address}:{port}")], cancellationToken);
            }

            var folder = await UploadRecordedAsync(host, package, environment, reprovision.Live.Digest, cancellationToken);
            await StartHealthyAsync(environment, host, slot, folder, variables, cancellationToken);
            serving.Add(host.Host);
            lines.Add($"{host.Host.Name} rebuilt with {environment.Artifact} {reprovision.Live.Version} (SHA-512 {reprovision.Live.Digest[..12]}… checked there) in slot {slot}");
            services.Log(lines[^1]);
        }

        await balancer.SwitchAsync([.. settings.Hosts.Select(host => $"{host.Address}:{port}")], cancellationToken);
        services.Log($"nginx sends {environment.Name}'s traffic to slot {slot} on all {settings.Hosts.Count} host(s) again");
        return lines;
    }
}
