using Recipes.Deployment;
using Recipes.Deployment.Docker;
using Recipes.Deployment.Hosts;
using Recipes.Deployment.Local;
using Recipes.Feeds;
using Recipes.Tests.Deployment.Docker;
using Recipes.Tests.Support.Docker;
using Recipes.Tests.Support.Fleet;

/// <summary>One environment the bench deploys to: its target, how a version is asked for there, and the window a switch must fit in.</summary>
/// <param name="Name">The target's name, for the tables: <c>local</c>, <c>docker</c>.</param>
/// <param name="Environment">The environment, blue-green with no grace period.</param>
/// <param name="Request">The deployment request of a version.</param>
/// <param name="Window">How long a baseline window (no deployment) lasts; a switch window lasts until shortly after its deployment.</param>
internal sealed record BenchTarget(string Name, DeploymentEnvironment Environment, Func<string, DeploymentRequest> Request, TimeSpan Window)
{
    /// <summary>The registration of the docker target on the engine <see cref="DockerWorld"/> starts (created on first use).</summary>
    public static DeploymentTargetRegistration DockerRegistration { get; } = DockerTarget.Registration with
    {
        Create = services => DockerTarget.Create(services, DockerEndpoint.Resolve(DockerWorld.Shared.DockerHost, "the bench's engine", _ => null)),
    };

    /// <summary>Recipes.TestApp's packages from <paramref name="feed"/>, as release processes on this machine.</summary>
    public static BenchTarget Local(TestAppFeed feed)
    {
        var environment = NewEnvironment("bench-local", DeploymentEnvironment.LocalTarget, TimeSpan.FromSeconds(30), SlowStart);
        return new BenchTarget(DeploymentEnvironment.LocalTarget, environment, version => Deploy(environment, feed.Feed, version, feed.Packages[version].Sha512), TimeSpan.FromSeconds(8));
    }

    /// <summary>
    /// Recipes.TestApp's images as containers on the engine and registry <see cref="DockerWorld"/> starts (with the
    /// base image the tests use): the same app, runtime and versions as the local target's packages.
    /// </summary>
    public static async Task<BenchTarget> DockerAsync(string root, IEnumerable<string> versions)
    {
        var world = DockerWorld.Shared;
        var repository = $"{world.Registry}/bench/recipes.testapp";
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var client = new global::Docker.DotNet.DockerClientConfiguration(new Uri(world.DockerHost)).CreateClient())
        {
            foreach (var version in versions)
            {
                digests[version] = await TestAppImage.PushAsync(client, repository, version);
            }
        }

        var environment = NewEnvironment("bench-docker", DockerTarget.Name, TimeSpan.FromSeconds(60), SlowStart) with { TargetSettings = new DockerSettings(repository) };
        // The docker target reads no feed: the image comes from the registry, by the digest the request names.
        var noFeed = new FolderFeed(Path.Combine(root, "no-feed"));
        return new BenchTarget(DockerTarget.Name, environment, version => Deploy(environment, noFeed, version, digests[version]), TimeSpan.FromSeconds(8));
    }

    /// <summary>The variable the bench's hosts environment reads the fleet's SSH key from (set in this process only).</summary>
    private const string SshKeyVariable = "RECIPES_BENCH_SSH_KEY";

    /// <summary>
    /// Recipes.TestApp's packages from <paramref name="feed"/> on the tests' three SSH hosts (<see cref="Fleet"/>: network
    /// namespaces with their own sshd, torn down when the process ends) behind the hosts target's nginx.
    /// </summary>
    public static BenchTarget Hosts(TestAppFeed feed, string root)
    {
        var fleet = Fleet.Shared;
        System.Environment.SetEnvironmentVariable(SshKeyVariable, fleet.ClientKey);
        var hosts = fleet.Hosts.Select((host, index) => new HostEntry(host.Address, "root", Path.Combine(host.Path, "bench"), null, index + 1)).ToList();
        var environment = NewEnvironment("bench-hosts", HostsTarget.Name, TimeSpan.FromSeconds(60), TimeSpan.Zero) with
        {
            TargetSettings = new HostsSettings(hosts, SshKeyVariable, fleet.KnownHosts, new BalancerSettings(BalancerSettings.Nginx, "127.0.0.1")),
        };
        fleet.Track(Path.Combine(root, "state", "hosts", environment.Name, "nginx", "nginx.pid"));
        return new BenchTarget(HostsTarget.Name, environment, version => Deploy(environment, feed.Feed, version, feed.Packages[version].Sha512), TimeSpan.FromSeconds(8));
    }

    private static DeploymentRequest Deploy(DeploymentEnvironment environment, IPackageFeed feed, string version, string digest) =>
        new(environment, feed, version, digest, "bench", DeploymentKind.Deploy, "bench/deploy");

    /// <summary>SLOW_START (seconds, default 0): the blue-green slow start of the local and docker environments (hosts has none).</summary>
    public static readonly TimeSpan SlowStart = TimeSpan.FromSeconds(double.Parse(System.Environment.GetEnvironmentVariable("SLOW_START") ?? "0", System.Globalization.CultureInfo.InvariantCulture));

    // Blue-green with no grace period: the old release stops as soon as the new one serves, so each switch is alone in its window.
    private static DeploymentEnvironment NewEnvironment(string name, string target, TimeSpan healthTimeout, TimeSpan slowStart) => new(
        name, target, TestAppFeed.Id, ProcessSupervisor.FreeLoopbackPort(), new BlueGreenStrategy(TimeSpan.Zero) { SlowStart = slowStart },
        HealthCheck.Default with { Timeout = healthTimeout }, [new SmokeCheck("/version", 200)], false,
        new Dictionary<string, FeatureToggle>(), ReleaseConfig, new Dictionary<string, SecretReference>(), 1);

    /// <summary>
    /// RELEASE_CONFIG (<c>NAME=VALUE;...</c>, default none): the environments' config, which each release gets as
    /// variables, e.g. <c>DOTNET_TieredCompilation=0</c> to measure a runtime setting of the team's app through a switch.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReleaseConfig =
        (System.Environment.GetEnvironmentVariable("RELEASE_CONFIG") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal);
}
