using Cake.Core.Diagnostics;
using Recipes.Deployment;
using Recipes.Deployment.Drift;
using Recipes.Hosting;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Compares every live release's files (each slot, on each host where the target has hosts) with the manifest
/// recorded when it was deployed, and lists each file changed, added, missing or with another mode. Exits 0 when
/// nothing drifted, 1 when something did, 2 when a release could not be checked. Reads only: it takes no lock.
/// </summary>
[TaskName("Drift")]
[TaskDescription("Compare the live releases' files with what was deployed ([--environment=NAME], default all); exit 1 on drift, 2 when it cannot check")]
public sealed class Drift : AsyncFrostingTask<RecipeContext>
{
    /// <inheritdoc />
    /// <exception cref="RecipeException">A live release drifted (exit code 1).</exception>
    public override async Task RunAsync(RecipeContext context)
    {
        var deployer = DeployArguments.Deployment(context);
        var drifted = new List<string>();
        var notChecked = new List<string>();
        foreach (var environment in DeployArguments.EnvironmentOrAll(context, "Drift"))
        {
            if (await CheckAsync(context, deployer, environment) is not { } drift)
            {
                continue;
            }

            foreach (var line in drift.Lines())
            {
                context.Log.Information("{0}", line);
            }

            notChecked.AddRange(drift.Unchecked.Select(place => $"{environment.Name} {place.Live.Place}: {place.Problem}"));
            if (drift.DriftedFiles > 0)
            {
                drifted.Add($"{environment.Name} ({drift.DriftedFiles} file(s), first {drift.First})");
            }
        }

        if (notChecked.Count > 0)
        {
            throw new ExitCodeException(Hosting.Internal.HostRunner.UsageError, $"{notChecked.Count} live release(s) could not be checked, first {notChecked[0]}");
        }

        if (drifted.Count > 0)
        {
            throw new RecipeException($"Drift: {string.Join("; ", drifted)}. Deploy again (a fresh folder from the checked package) to end it, and find out who changed the files.");
        }
    }

    /// <summary>One environment's check, or null when its target cannot be checked (said in a line: not drift, not an error).</summary>
    private static async Task<EnvironmentDrift?> CheckAsync(RecipeContext context, Deployer deployer, DeploymentEnvironment environment)
    {
        try
        {
            var drift = await deployer.DriftAsync(environment, CancellationToken.None);
            if (drift is null)
            {
                context.Log.Information("{0}: not checked: {1}", environment.Name, NotListed(environment));
            }

            return drift;
        }
        catch (RecipeException exception)
        {
            throw new ExitCodeException(Hosting.Internal.HostRunner.UsageError, $"{environment.Name} could not be checked: {exception.Message}");
        }
    }

    /// <summary>Why a target's releases are not checked (the docker target's: a container's files are its image's, pinned by digest).</summary>
    internal static string NotListed(DeploymentEnvironment environment) =>
        $"the {environment.Target} target does not list its releases' files (a docker release's files are its image's, pinned by digest; 'docker diff' shows what a running container changed)";
}
