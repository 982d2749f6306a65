using Recipes.Deployment.Local;
using Recipes.Pipeline;

namespace Recipes.Deployment;

/// <summary>
/// The registration table of deployment targets: the one place a target is added. Each entry names the target as
/// environments give it in <c>target:</c>, the environments-file fields only it reads with their check, and how to
/// create it.
/// </summary>
internal sealed class DeploymentTargets
{
    private readonly IReadOnlyList<DeploymentTargetRegistration> _registrations;

    /// <summary>A table of <paramref name="registrations"/> (tests add fakes; the pipeline uses <see cref="Builtin"/>).</summary>
    public DeploymentTargets(IReadOnlyList<DeploymentTargetRegistration> registrations)
    {
        var twice = registrations.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"The deployment target '{twice.Key}' is registered twice.", nameof(registrations));
        }

        _registrations = registrations;
    }

    /// <summary>The targets Recipes ships. A new target adds its registration here, one line.</summary>
    public static DeploymentTargets Builtin { get; } = new(
    [
        LocalDeployment.Registration,
        Docker.DockerTarget.Registration,
        Hosts.HostsTarget.Registration,
    ]);

    /// <summary>The registered targets' names, sorted, for messages: <c>docker, hosts, local</c>.</summary>
    public string Known => string.Join(", ", _registrations.Select(r => r.Name).Order(StringComparer.Ordinal));

    /// <summary>The targets that fetch the release's package (so an environment with a database can use them), sorted, for messages.</summary>
    public string WithPackageFile => string.Join(", ", _registrations.Where(r => r.ProvidesPackageFile).Select(r => r.Name).Order(StringComparer.Ordinal));

    /// <summary>Every field some target reads, so the environments file knows them all.</summary>
    public IReadOnlyList<string> TargetFields => [.. _registrations.SelectMany(r => r.Fields).Distinct(StringComparer.Ordinal)];

    /// <summary>The targets that read <paramref name="field"/>.</summary>
    public IEnumerable<string> OwnersOf(string field) => _registrations.Where(r => r.Fields.Contains(field, StringComparer.Ordinal)).Select(r => r.Name);

    /// <summary>The target named <paramref name="name"/>, or null when none is.</summary>
    public DeploymentTargetRegistration? Find(string name) => _registrations.FirstOrDefault(r => r.Name == name);

    /// <summary>The target registered for <paramref name="environment"/>'s <c>target:</c>.</summary>
    /// <exception cref="RecipeException">No target of that name is registered.</exception>
    public DeploymentTargetRegistration For(DeploymentEnvironment environment) =>
        Find(environment.Target)
        ?? throw new RecipeException($"Environment '{environment.Name}' has target '{environment.Target}', which is not a deployment target; known: {Known}.");
}

/// <summary>One deployment target in the registration table.</summary>
/// <param name="Name">What environments write in <c>target:</c>, such as <c>local</c>.</param>
/// <param name="Fields">The environment fields only this target reads (besides those every environment has); empty when none.</param>
/// <param name="ReadFields">
/// Checks and reads this target's own fields of one environment (every failure names file, line and field, see
/// <see cref="YamlFields"/>); what it returns is the environment's <see cref="DeploymentEnvironment.TargetSettings"/>.
/// </param>
/// <param name="Create">Creates the target for one repository's state folder.</param>
internal sealed record DeploymentTargetRegistration(
    string Name,
    IReadOnlyList<string> Fields,
    Func<YamlFields, object?> ReadFields,
    Func<TargetServices, IDeploymentTarget> Create)
{
    /// <summary>
    /// The digest this target deploys, from the commit stage's manifest entry (and the manifest's path, for messages):
    /// the package's SHA-512 unless the target deploys something else built from it, such as an image.
    /// </summary>
    public Func<Artifacts.ArtifactEntry, string, string> ArtifactDigest { get; init; } = (entry, _) => entry.Sha512;

    /// <summary>
    /// Whether the target fetches the release's package file (<see cref="FetchedArtifact.PackageFile"/>), so the
    /// deployer can read its migration scripts: an environment with <c>database:</c> needs such a target.
    /// </summary>
    public bool ProvidesPackageFile { get; init; } = true;
}

/// <summary>What a target is created with.</summary>
/// <param name="StateDirectory">The repository's deployment state folder (ledger, releases, slots, routers).</param>
/// <param name="Log">Writes a line to the build's output.</param>
/// <param name="Settings">The pipeline's settings (such as a registry), or null outside a pipeline run.</param>
internal sealed record TargetServices(string StateDirectory, Action<string> Log, RecipeSettings? Settings)
{
    /// <summary>How often a long wait (a canary step's pause) prints what it has seen so far.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
}
