using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Tests.EndToEnd;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>A state folder of its own and environments on ports of their own, deployed from the versioned feed; everything is stopped on dispose.</summary>
internal sealed class LocalDeploymentHarness(TestAppFeedFixture feed) : IAsyncDisposable
{
    private readonly TempDirectory _state = new("recipes-supervision");
    private readonly List<DeploymentEnvironment> _environments = [];

    /// <summary>The state folder, for a build run with <c>--state-directory</c>.</summary>
    public string StateDirectory => _state.Path;

    public DeploymentLedger Ledger => DeploymentLedger.Open(Path.Combine(_state.Path, "ledger.db"));

    /// <summary>What the deployments said, in order.</summary>
    public List<string> Log { get; } = [];

    public LocalDeployment Deployment() => new(_state.Path, Ledger, TimeSpan.FromSeconds(30), line => { lock (Log) { Log.Add(line); } });

    public EnvironmentRouter Router(DeploymentEnvironment environment) => new(_state.Path, environment.Name, environment.Port, _ => { });

    /// <summary>The slots of <paramref name="environment"/> and whether their releases run.</summary>
    public IReadOnlyList<SlotStatus> Slots(DeploymentEnvironment environment) =>
        new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status(environment.Name);

    /// <summary>The one slot of <paramref name="environment"/> whose release runs.</summary>
    public ReleaseProcess RunningSlot(DeploymentEnvironment environment) =>
        new ProcessSupervisor(Path.Combine(_state.Path, "slots")).Status(environment.Name).Single(s => s.State == SlotState.Running).Process;

    public DeploymentEnvironment Environment(string name, DeploymentStrategy strategy, Func<DeploymentEnvironment, DeploymentEnvironment>? change = null)
    {
        var environment = new DeploymentEnvironment(
            name, DeploymentEnvironment.LocalTarget, TestAppFeedFixture.Id, PublicPorts.Next(), strategy,
            HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(30) }, [new SmokeCheck("/version", 200)], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1);
        environment = change?.Invoke(environment) ?? environment;
        _environments.Add(environment);
        return environment;
    }

    public Task<DeploymentResult> DeployAsync(DeploymentEnvironment environment, string version) =>
        Deployment().DeployAsync(
            new DeploymentRequest(environment, feed.Feed, version, feed.Packages[version].Sha512, "abc", DeploymentKind.Deploy, "test"), CancellationToken.None);

    public static LoadOptions Load(DeploymentEnvironment environment) => new()
    {
        Url = new Uri($"http://127.0.0.1:{environment.Port}/version"),
        MaxDuration = TimeSpan.FromSeconds(60),
        MaxRequests = 50_000,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var environment in _environments)
        {
            await Deployment().StopAsync(environment, CancellationToken.None);
        }

        _state.Dispose();
    }
}

/// <summary>What /proc shows of a process (Linux).</summary>
internal static class ProcessFiles
{
    /// <summary>The environment the process started with.</summary>
    public static Dictionary<string, string> Environment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.Ordinal);

    /// <summary>The process's working directory.</summary>
    public static string? WorkingDirectory(int pid) => new FileInfo($"/proc/{pid}/cwd").LinkTarget;

    /// <summary>The live processes whose command line contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> Mentioning(string text) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(folder => int.TryParse(Path.GetFileName(folder), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains(text, StringComparison.Ordinal) && DetachedProcesses.IsAlive(pid))];

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
