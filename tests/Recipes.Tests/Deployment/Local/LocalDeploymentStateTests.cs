using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Pipeline;
using Recipes.Pipeline.Tasks;
using Recipes.Tests.Hosting;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>
/// The local target's state folder with real releases and routers: it is private to the user, Stop and Status work
/// when the ledger is damaged, Status tells a stopped environment from a live one, and a blue-green grace period
/// leaves the environment unlocked for a Rollback.
/// </summary>
[Trait("Category", "Slow")]
public sealed class LocalDeploymentStateTests(TestAppFeedFixture feed) : IClassFixture<TestAppFeedFixture>, IAsyncLifetime
{
    private readonly TempDirectory _temp = new("recipes-local-state");
    private readonly List<string> _log = [];
    private readonly List<DeploymentEnvironment> _environments = [];

    private string StatePath => _temp.Combine("state");

    private string LedgerPath => Path.Combine(StatePath, RecipeContext.LedgerFileName);

    private LocalDeployment Deployment(TimeSpan? lockWait = null) =>
        new(StatePath, () => DeploymentLedger.Open(LedgerPath), lockWait ?? TimeSpan.FromSeconds(60), line => { lock (_log) { _log.Add(line); } });

    [Fact]
    public async Task The_state_folder_and_everything_deployments_create_in_it_are_private_to_the_user()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A state folder that exists already, open to everyone, as an older version (or a plain mkdir) left it.
        Directory.CreateDirectory(StatePath);
        File.SetUnixFileMode(StatePath, PrivateFiles.FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero)) with
        {
            Features = new Dictionary<string, FeatureToggle> { ["Loud"] = new(false) },
        };
        _environments[^1] = dev;

        await DeployAsync(dev, "1.0.0");
        await DeployAsync(dev, "2.0.0");

        var entries = Directory.EnumerateFileSystemEntries(StatePath, "*", SearchOption.AllDirectories).Prepend(StatePath).ToList();
        var open = new List<string>();
        foreach (var entry in entries)
        {
            if ((File.GetUnixFileMode(entry) & PrivateFiles.GroupAndOther) != 0)
            {
                open.Add($"{Path.GetRelativePath(StatePath, entry)} {File.GetUnixFileMode(entry)}");
            }
        }

        open.ShouldBeEmpty(string.Join("\n", open));
        string[] expected = [RecipeContext.LedgerFileName, Path.Combine("dev", FeatureToggleFileName), Path.Combine("dev", "router", "router.log"), Path.Combine("slots", "dev")];
        foreach (var part in expected)
        {
            entries.ShouldContain(entry => entry.EndsWith(part, StringComparison.Ordinal), $"the walk covers {part}");
        }

        entries.Count(entry => entry.EndsWith(".log", StringComparison.Ordinal) && entry.Contains("slots", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(2);
        entries.ShouldContain(entry => entry.Contains("releases", StringComparison.Ordinal) && entry.EndsWith(".dll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_ledger_overwritten_Stop_still_stops_the_release_and_the_router_and_Status_names_the_ledger()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(dev, "1.0.0");
        var release = RunningSlot(dev);
        var routerPid = new EnvironmentRouter(StatePath, dev.Name, dev.Port, _ => { }).RunningPid().ShouldNotBeNull();
        File.WriteAllText(LedgerPath, new string('#', 20_000));

        var status = RunHost(dev, "--target=Status");

        status.Exit.ShouldBe(0, status.Error);
        status.Output.ShouldContain($"dev: the ledger {LedgerPath} could not be read");
        status.Output.ShouldContain($"The deployment ledger {LedgerPath} is damaged");
        // Status names the app's own pid; the slot's record holds its supervisor's.
        var appPid = Supervision.ProgramPid(release.LogFile) ?? release.Pid;
        status.Output.ShouldMatch($@"\n\s+{release.Slot}\s+{TestAppFeedFixture.Id} 1\.0\.0 .* running, pid {appPid}");

        var stop = RunHost(dev, "--target=Stop");

        stop.Exit.ShouldBe(0, stop.Error + stop.Output);
        stop.Output.ShouldContain("dev: stopped ");
        DetachedProcesses.IsAlive(release.Pid).ShouldBeFalse("the release's supervisor was stopped");
        DetachedProcesses.IsAlive(appPid).ShouldBeFalse("the release was stopped");
        DetachedProcesses.IsAlive(routerPid).ShouldBeFalse("the router was stopped");
        await Should.ThrowAsync<HttpRequestException>(() => GetVersionAsync(dev));
    }

    [Fact]
    public async Task After_Stop_Status_says_stopped_with_the_release_the_ledger_has_live()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.Zero));
        await DeployAsync(dev, "1.0.0");
        Status.StatusLines(await Deployment().StatusAsync(dev, CancellationToken.None)).First().ShouldStartWith($"dev: live {TestAppFeedFixture.Id} 1.0.0 (ledger #1, Deploy ");

        await Deployment().StopAsync(dev, CancellationToken.None);

        var first = Status.StatusLines(await Deployment().StatusAsync(dev, CancellationToken.None)).First();
        first.ShouldStartWith($"dev: stopped {TestAppFeedFixture.Id} 1.0.0 (ledger #1, Deploy ");
        first.ShouldEndWith($"; router stopped (port {dev.Port})");
    }

    [Fact]
    public async Task A_rollback_during_a_blue_green_grace_period_switches_to_the_warm_slot_before_the_period_ends()
    {
        var dev = Environment("dev", new BlueGreenStrategy(TimeSpan.FromSeconds(20)));
        await DeployAsync(dev, "1.0.0");
        var warm = RunningSlot(dev);

        var deploying = DeployAsync(dev, "2.0.0");
        await WaitForLogAsync("warm in slot", deploying);
        (await GetVersionAsync(dev)).ShouldBe("2.0.0");

        // A short lock wait: a deployment holding the lock through its grace period would make this fail.
        var rollingBack = Deployment(TimeSpan.FromSeconds(3)).RollbackAsync(dev, feed.Feed, "test", CancellationToken.None);
        // The rollback is recorded when it keeps the undone release for its own grace period.
        await WaitForLogAsync("so that its requests in flight finish", rollingBack);

        deploying.IsCompleted.ShouldBeFalse("the grace period is still running");
        (await GetVersionAsync(dev)).ShouldBe("1.0.0");
        var rollback = await rollingBack;
        rollback.Details.ShouldContain($"still warm in slot {warm.Slot}");

        await deploying;
        (await GetVersionAsync(dev)).ShouldBe("1.0.0");
        RunningSlot(dev).Pid.ShouldBe(warm.Pid, "the end of the grace period left the slot the rollback went back to");
        DeploymentLedger.Open(LedgerPath).History("dev").Select(r => (r.Kind, r.Version, r.Outcome)).ShouldBe([
            (DeploymentKind.Rollback, "1.0.0", DeploymentOutcome.Succeeded),
            (DeploymentKind.Deploy, "2.0.0", DeploymentOutcome.RolledBack),
            (DeploymentKind.Deploy, "1.0.0", DeploymentOutcome.Succeeded)]);
    }

    private const string FeatureToggleFileName = Recipes.Deployment.Toggles.FeatureToggleFile.DefaultFileName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var environment in _environments)
        {
            await Deployment().StopAsync(environment, CancellationToken.None);
        }

        _temp.Dispose();
    }

    private async Task WaitForLogAsync(string text, Task running)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Logged(text))
        {
            running.IsCompleted.ShouldBeFalse(string.Join("\n", _log));
            DateTime.UtcNow.ShouldBeLessThan(deadline, string.Join("\n", _log));
            await Task.Delay(50);
        }
    }

    private bool Logged(string text)
    {
        lock (_log)
        {
            return _log.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    private ReleaseProcess RunningSlot(DeploymentEnvironment environment) =>
        new ProcessSupervisor(Path.Combine(StatePath, "slots")).Status(environment.Name).Where(s => s.State == SlotState.Running).ShouldHaveSingleItem().Process;

    /// <summary>Runs a target through the recipe's host, as ./build.sh does, with an environments file that describes <paramref name="environment"/>.</summary>
    private (int Exit, string Output, string Error) RunHost(DeploymentEnvironment environment, string target)
    {
        var file = _temp.Combine("environments.yml");
        File.WriteAllText(file, $$"""
            environments:
              - name: {{environment.Name}}
                artifact: {{environment.Artifact}}
                port: {{environment.Port}}
                strategy: { kind: blue-green, grace-period: 0s }
            """);
        var harness = new HostHarness();
        harness.Host.UseRecipe();
        var exit = harness.Run(target, $"--environments-file={file}", $"--state-directory={StatePath}", $"--artifacts={_temp.Combine("artifacts")}");
        return (exit, harness.Output, harness.Error);
    }

    private DeploymentEnvironment Environment(string name, DeploymentStrategy strategy)
    {
        var environment = new DeploymentEnvironment(
            name, DeploymentEnvironment.LocalTarget, TestAppFeedFixture.Id, PublicPorts.Next(), strategy,
            HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(30) }, [new SmokeCheck("/version", 200)], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1);
        _environments.Add(environment);
        return environment;
    }

    private Task<DeploymentResult> DeployAsync(DeploymentEnvironment environment, string version) =>
        Deployment().DeployAsync(
            new DeploymentRequest(environment, feed.Feed, version, feed.Packages[version].Sha512, "abc", DeploymentKind.Deploy, "test"), CancellationToken.None);

    private static async Task<string> GetVersionAsync(DeploymentEnvironment environment)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return await http.GetStringAsync($"http://127.0.0.1:{environment.Port}/version");
    }
}
