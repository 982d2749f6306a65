using System.Diagnostics;
using System.Net;
using Recipes;
using Recipes.Deployment;
using Recipes.Deployment.Hosts;
using Recipes.Deployment.Local;
using Recipes.Deployment.Routing;
using Recipes.Deployment.Slots;

/// <summary>The bench's environments (one per target) under one target-neutral deployer, their measurements, and their clean-up.</summary>
internal sealed class DeployBench
{
    private const int CanaryRequests = 2_000;

    /// <summary>The two versions; each deployment or canary puts in the one that is not live.</summary>
    public static readonly string[] Versions = ["1.0.0", "2.0.0"];

    /// <summary>The load runs alone this long first, so a window's connections are warm before anything changes.</summary>
    private static readonly TimeSpan SwitchAt = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The shortest switch window: 6 s with the deployment at 1 s, the windows the issue's own figure (3,779 against
    /// 5,711 requests/s) was measured with; a longer deployment makes its window longer (see <see cref="Tail"/>).
    /// </summary>
    public static readonly TimeSpan ShortestSwitchWindow = TimeSpan.FromSeconds(6);

    /// <summary>How long a switch window goes on after the deployment ended, at least: the new release's answers alone.</summary>
    public static readonly TimeSpan Tail = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("TAIL") ?? "2", System.Globalization.CultureInfo.InvariantCulture));

    private readonly string _state;
    private readonly CancellationToken _cancellationToken;
    private readonly List<LogEntry> _log = [];
    private readonly Deployer _deployer;
    private readonly List<DeploymentEnvironment> _used = [];

    public DeployBench(string root, CancellationToken cancellationToken)
    {
        _state = Path.Combine(root, "state");
        _cancellationToken = cancellationToken;
        _deployer = new Deployer(
            () => DeploymentLedger.Open(Path.Combine(_state, "ledger.db")), TimeSpan.FromSeconds(30),
            new DeploymentTargets([LocalDeployment.Registration, BenchTarget.DockerRegistration, HostsTarget.Registration]), new TargetServices(_state, Log, null));
    }

    /// <summary>
    /// Deploys the first version (then the other and back, so that both are fetched and warm before anything is
    /// measured), then measures <paramref name="runs"/> switches, each right after a baseline window without one.
    /// </summary>
    public async Task<IReadOnlyList<(Measured Baseline, Measured Switch)>> MeasureAsync(BenchTarget target, int runs)
    {
        _used.Add(target.Environment);
        var url = Url(target);
        Console.WriteLine($"target: {target.Name}: Recipes.TestApp {Versions[0]} and {Versions[1]} behind the environment's router on port {target.Environment.Port}; " +
            $"{Traffic.Workers} closed-loop workers on GET /version; baseline windows of {target.Window.TotalSeconds:0} s, switch windows of {ShortestSwitchWindow.TotalSeconds:0} s or until {Tail.TotalSeconds:0} s after the deployment when later; deployment (or re-apply) at {SwitchAt.TotalSeconds:0} s" +
            (target.Environment.Strategy is BlueGreenStrategy { SlowStart: var slowStart } && slowStart > TimeSpan.Zero ? $"; slow start {slowStart.TotalSeconds:0.#} s" : string.Empty));
        var live = Versions[0];
        foreach (var version in (string[])[live, Other(live), live])
        {
            await _deployer.DeployAsync(target.Request(version), _cancellationToken);
        }

        // The load runs in a process of its own from here to the last window; unmeasured at first, so that the first
        // window does not pay for JIT-compiling the router's and the client's paths.
        await using var load = LoadProcess.Start(url);
        await Task.Delay(WarmUp, _cancellationToken);
        var pairs = new List<(Measured Baseline, Measured Switch)>();
        Console.WriteLine($"{"run",-4}{"switch",-17}| {"baseline: rps",13}{"failed",8}{"apply ms",10}{"wait ms",9} | {"switch: rps",11}{"failed",8}{"apply ms",10}{"wait ms",9}{"gap ms",9}{"switch ms",11}{"deploy s",10}{"load cpu/s",12}{"load cpu/s",12}{"deployer",10}{"new cpu ms",12}");
        Console.WriteLine($"{"",-4}{"",-17}| {"",13}{"",8}{"",10}{"",9} | {"",11}{"",8}{"",10}{"",9}{"",9}{"",11}{"",10}{"(baseline)",12}{"(switch)",12}{"cpu ms",10}{"by end",12}");
        for (var run = 1; run <= runs; run++)
        {
            var baseline = await MeasureWindowAsync(target, load, live, null);
            var next = Other(live);
            var switched = await MeasureWindowAsync(target, load, live, next);
            live = next;
            pairs.Add((baseline, switched));
            Console.WriteLine($"{run,-4}{switched.From + " -> " + switched.To,-17}| {baseline.RequestsPerSecond,13:0}{baseline.Failed,8}{Ms(baseline.Apply),10:0.0}{Ms(baseline.LongestWait),9:0.0} | " +
                $"{switched.RequestsPerSecond,11:0}{switched.Failed,8}{Ms(switched.Apply),10:0.0}{Ms(switched.LongestWait),9:0.0}{Ms(switched.Gap!.Value),9:0.0}{Ms(switched.SwitchTime!.Value),11:0.0}{switched.Deploy.TotalSeconds,10:0.0}" +
                $"{Cpu(baseline.LoadCpu) / baseline.Length.TotalSeconds,12:0}{Cpu(switched.LoadCpu) / switched.Length.TotalSeconds,12:0}{Cpu(switched.BenchCpu),10:0}{Cpu(switched.ReleaseCpu),12:0}");
            Console.WriteLine($"    phases, wall s/deployer cpu ms/requests per s: {switched.Phases}");
            // A failed request is the one thing a switch must never cause: say what it was and when, beside the switch.
            foreach (var (window, measured, failed) in new[] { ("baseline", baseline), ("switch", switched) }
                .SelectMany(w => w.Item2.Answers.Where(a => a.Failure is not null).Select(a => (w.Item1, w.Item2, a))))
            {
                Console.WriteLine($"    failed in the {window} window: {failed.Failure} (sent at {failed.Started.TotalSeconds:0.000} s, ended {failed.Ended.TotalSeconds:0.000} s; " +
                    $"route change sent at {measured.SwitchSent?.TotalSeconds.ToString("0.000") ?? "-"} s, deployment ended {measured.DeploymentEnded?.TotalSeconds.ToString("0.000") ?? "-"} s)");
            }
        }

        Console.WriteLine();
        return pairs;
    }

    /// <summary>Stops the environments' releases and routers; false when that failed, so the caller keeps the state folder.</summary>
    public async Task<bool> StopAsync()
    {
        var stopped = true;
        foreach (var environment in _used)
        {
            try
            {
                await _deployer.StopAsync(environment, CancellationToken.None);
            }
            catch (Exception e) when (e is RecipeException or IOException)
            {
                Console.Error.WriteLine($"Could not stop the bench environment {environment.Name}: {e.Message}");
                stopped = false;
            }
        }

        return stopped;
    }

    public IReadOnlyList<string> LogTail(int count)
    {
        lock (_log)
        {
            return [.. _log.TakeLast(count).Select(entry => entry.Line)];
        }
    }

    /// <summary>
    /// One window (a slice of the load process's steady load on the public port); at <see cref="SwitchAt"/> either a blue-green deployment of
    /// <paramref name="deploy"/> or, for the baseline, a re-apply of the route in force (the same admin call without a
    /// change). A baseline window lasts the target's <see cref="BenchTarget.Window"/>; a switch window lasts
    /// <see cref="ShortestSwitchWindow"/>, or until <see cref="Tail"/> after the deployment when that is later, however
    /// long it took on a busy machine (rates are per second of each window's own length).
    /// </summary>
    private async Task<Measured> MeasureWindowAsync(BenchTarget target, LoadProcess load, string live, string? deploy)
    {
        var loadPid = load.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var windowStart = Stopwatch.GetTimestamp();
        var benchCpuAtStart = DeploymentCost.Cpu("self");
        var loadCpuAtStart = DeploymentCost.Cpu(loadPid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(SwitchAt, _cancellationToken);
        var deployStarted = clock.Elapsed;
        TimeSpan apply;
        TimeSpan? sent = null;
        var deployStart = LogEntry.Now("deployment started");
        if (deploy is null)
        {
            apply = target.Name == HostsTarget.Name ? await ReloadAsync(target.Environment) : await ReapplyAsync(target.Environment);
        }
        else
        {
            var result = await _deployer.DeployAsync(target.Request(deploy), _cancellationToken);
            apply = result.SwitchTime ?? throw new RecipeException("the deployment reported no switch time");
            sent = Stopwatch.GetElapsedTime(windowStart, result.SwitchStarted ?? throw new RecipeException("the deployment reported no switch"));
        }

        var changed = clock.Elapsed;
        var deployEnd = LogEntry.Now("deployment ended");
        var rest = deploy is null ? target.Window - clock.Elapsed : Max(Tail, ShortestSwitchWindow - clock.Elapsed);
        await Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero, _cancellationToken);
        var windowEndAt = Stopwatch.GetTimestamp();
        var benchCpu = DeploymentCost.Cpu("self") - benchCpuAtStart;
        var loadCpu = DeploymentCost.Cpu(loadPid) - loadCpuAtStart;
        var answers = await load.TakeAsync(windowStart, windowEndAt, _cancellationToken);
        TimeSpan Since(long timestamp) => Stopwatch.GetElapsedTime(windowStart, timestamp);
        // Requests per second answered between two offsets of the window (before the deployment, after it: the new release alone).
        string Rate(TimeSpan from, TimeSpan to) => (answers.Count(a => a.Ended >= from && a.Ended < to) / (to - from).TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        var length = Stopwatch.GetElapsedTime(windowStart, windowEndAt);
        var releaseCpu = deploy is not null && target.Name == DeploymentEnvironment.LocalTarget ? LiveReleaseCpu(target.Environment) : null;
        if (deploy is null && changed > target.Window)
        {
            throw new RecipeException($"the re-apply ended {changed.TotalSeconds:0.0} s into a {target.Window.TotalSeconds:0} s window; the window must hold it, make {target.Name}'s Window longer");
        }

        if (deploy is not null && (!answers.Any(a => a.Version == live) || !answers.Any(a => a.Version == deploy)))
        {
            throw new RecipeException($"the window did not see both {live} and {deploy} answer; there is no client-side switch to measure");
        }

        return new Measured(answers, length, apply, live, deploy ?? live, sent, deploy is null ? TimeSpan.Zero : changed - deployStarted)
        {
            DeploymentEnded = deploy is null ? null : changed,
            BenchCpu = benchCpu,
            LoadCpu = loadCpu,
            ReleaseCpu = releaseCpu,
            Phases = deploy is null ? null
                : $"before {Rate(TimeSpan.Zero, deployStarted)}  "
                    + DeploymentCost.PhasesOf(LogSince(deployStart.At), deployStart, deployEnd, (from, to) => answers.Count(a => a.Ended >= Since(from) && a.Ended < Since(to)))
                    + $"  after {Rate(changed, length)} by s: {string.Join(' ', Enumerable.Range(0, (int)(length - changed).TotalSeconds).Select(i => Rate(changed + TimeSpan.FromSeconds(i), changed + TimeSpan.FromSeconds(i + 1))))}",
        };
    }

    /// <summary>The CPU time the local environment's live release (the app, not its supervisor shell) has used since it started.</summary>
    private TimeSpan? LiveReleaseCpu(DeploymentEnvironment environment)
    {
        var running = new ProcessSupervisor(Path.Combine(_state, "slots")).Status(environment.Name).FirstOrDefault(slot => slot.State == SlotState.Running);
        return running?.Supervision?.ProgramPid is { } app ? DeploymentCost.Cpu(app.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    private List<LogEntry> LogSince(long start)
    {
        lock (_log)
        {
            return [.. _log.Where(entry => entry.At >= start)];
        }
    }

    /// <summary>The hosts target's baseline: nginx given its unchanged upstream again (a reload, awaited until the old workers are gone).</summary>
    private Task<TimeSpan> ReloadAsync(DeploymentEnvironment environment)
    {
        var balancer = new NginxBalancer(Path.Combine(_state, "hosts", environment.Name, "nginx"), environment.Port, Log);
        return balancer.SwitchAsync(balancer.Servers(), _cancellationToken);
    }

    private async Task<TimeSpan> ReapplyAsync(DeploymentEnvironment environment)
    {
        using var router = Router(environment);
        var route = await router.GetConfigAsync(_cancellationToken) ?? throw new RecipeException("the router has no route to re-apply");
        // Timed like Rollout.RouteAsync times a switch: from the request to the router's answer that the route is in force.
        var clock = Stopwatch.StartNew();
        await router.ApplyAsync(route, _cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>
    /// Starts the other version beside the live one in the idle slot of the local environment (as a canary deployment
    /// would), applies each split through the router, and counts which version answered <see cref="CanaryRequests"/>
    /// requests. The router picks at random by weight, so the yardstick is a fair random split's standard error, sqrt(p(1-p)/N).
    /// </summary>
    /// <returns>The failed requests.</returns>
    public async Task<int> MeasureCanaryAsync(BenchTarget local, TestAppFeed feed)
    {
        var environment = local.Environment;
        var live = _deployer.ReadLive(environment).Live?.Version ?? throw new RecipeException("nothing is live in the local environment");
        var canary = Other(live);
        var supervisor = new ProcessSupervisor(Path.Combine(_state, "slots"));
        var running = supervisor.Status(environment.Name).Single(s => s.State == SlotState.Running).Process;
        var release = await new ReleaseStore(Path.Combine(_state, "releases", environment.Name))
            .PrepareAsync(feed.Feed, TestAppFeed.Id, canary, feed.Packages[canary].Sha512, _cancellationToken);
        // Started in the environment's own slot, so the deployer's Stop stops it with the rest.
        var started = supervisor.Start(environment.Name, running.Slot == Rollout.Blue ? Rollout.Green : Rollout.Blue, release);
        await supervisor.WaitHealthyAsync(started, environment.Health.Path, HttpStatusCode.OK, environment.Health.Timeout, _cancellationToken);

        Console.WriteLine($"Canary split accuracy (target: local), {CanaryRequests} requests per split ({live} live, {canary} the canary)");
        Console.WriteLine($"   {"canary weight",-16}{"observed",10}{"error, points",15}{"random-split 1 sigma, points",30}{"error / sigma",15}{"failed",8}");
        using var router = Router(environment);
        var failed = 0;
        foreach (var weight in new[] { 10, 50 })
        {
            await router.ApplyAsync(new RouteConfig(
            [
                new RouteDestination("live-" + live, running.Address, 100 - weight),
                new RouteDestination("canary-" + canary, started.Address, weight),
            ]), _cancellationToken);
            var answers = await Traffic.RunAsync(Url(local), TimeSpan.FromMinutes(1), CanaryRequests, Stopwatch.StartNew(), _cancellationToken);
            var answered = answers.Where(a => a.Failure is null).ToList();
            var observed = 100.0 * answered.Count(a => a.Version == canary) / Math.Max(1, answered.Count);
            var p = weight / 100.0;
            var sigma = 100 * Math.Sqrt(p * (1 - p) / CanaryRequests);
            var error = Math.Abs(observed - weight);
            failed += answers.Count - answered.Count;
            Console.WriteLine($"   {$"{weight}% ({100 - weight}/{weight})",-16}{observed,9:0.0}%{error,15:0.00}{sigma,30:0.00}{error / sigma,15:0.00}{answers.Count - answered.Count,8}");
        }

        return failed;
    }

    private static Uri Url(BenchTarget target) => new($"http://127.0.0.1:{target.Environment.Port}/version");

    private RouterClient Router(DeploymentEnvironment environment) =>
        RouterClient.ForStateDirectory(new EnvironmentRouter(_state, environment.Name, environment.Port, Log).StateDirectory);

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(LogEntry.Now(line));
        }
    }

    private static string Other(string version) => version == Versions[0] ? Versions[1] : Versions[0];

    private static double Ms(TimeSpan time) => time.TotalMilliseconds;

    /// <summary>CPU milliseconds, NaN when unknown (no /proc, or the process was gone).</summary>
    private static double Cpu(TimeSpan? time) => time?.TotalMilliseconds ?? double.NaN;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
