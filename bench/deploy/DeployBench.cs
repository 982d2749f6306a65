using System.Diagnostics;
using System.Net;
using Recipes;
using Recipes.Deployment;
using Recipes.Deployment.Local;
using Recipes.Deployment.Routing;
using Recipes.Deployment.Slots;

/// <summary>One environment on the local target, its measurements, and its clean-up.</summary>
internal sealed class DeployBench
{
    private const int CanaryRequests = 2_000;

    /// <summary>The two versions packed; each deployment or canary puts in the one that is not live.</summary>
    private static readonly string[] Versions = ["1.0.0", "2.0.0"];

    /// <summary>Long enough that a deployment started at <see cref="SwitchAt"/> ends inside it on a 2-core machine under load.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(6);

    /// <summary>The load runs alone this long first, so a window's connections are warm before anything changes.</summary>
    private static readonly TimeSpan SwitchAt = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    private readonly string _root;
    private readonly string _state;
    private readonly CancellationToken _cancellationToken;
    private readonly List<string> _log = [];
    private readonly LocalDeployment _deployment;
    private readonly DeploymentEnvironment _environment;
    private readonly Uri _url;
    private TestAppFeed? _feed;

    public DeployBench(string root, CancellationToken cancellationToken)
    {
        _root = root;
        _state = Path.Combine(root, "state");
        _cancellationToken = cancellationToken;
        _deployment = new LocalDeployment(_state, DeploymentLedger.Open(Path.Combine(_state, "ledger.db")), TimeSpan.FromSeconds(30), Log);
        // Blue-green with no grace period: the old release stops as soon as the new one serves, so each switch is alone in its window.
        _environment = new DeploymentEnvironment(
            "bench", DeploymentEnvironment.LocalTarget, TestAppFeed.Id, ProcessSupervisor.FreeLoopbackPort(), new BlueGreenStrategy(TimeSpan.Zero),
            HealthCheck.Default with { Timeout = TimeSpan.FromSeconds(30) }, [new SmokeCheck("/version", 200)], false,
            new Dictionary<string, FeatureToggle>(), new Dictionary<string, string>(), new Dictionary<string, SecretReference>(), 1);
        _url = new Uri($"http://127.0.0.1:{_environment.Port}/version");
    }

    /// <summary>Runs the three measurements and prints them; returns 1 when any request failed, else 0.</summary>
    public async Task<int> RunAsync(int runs)
    {
        _feed = await TestAppFeed.PackAsync(_root, Versions, _cancellationToken);
        Console.WriteLine($"Local deployment target: Recipes.TestApp {Versions[0]} and {Versions[1]} behind the environment's router on port {_environment.Port}");
        Console.WriteLine($"{RuntimeInformationText()}; {runs} run(s); load: {Traffic.Workers} closed-loop workers on GET /version, {Window.TotalSeconds:0} s windows, deployment (or re-apply) at {SwitchAt.TotalSeconds:0} s");
        Console.WriteLine();

        var live = Versions[0];
        await DeployAsync(live);
        // Unmeasured: the first window would otherwise also pay for JIT-compiling the router's and the client's paths.
        await Traffic.RunAsync(_url, WarmUp, int.MaxValue, Stopwatch.StartNew(), _cancellationToken);
        var pairs = new List<(Measured Baseline, Measured Switch)>();
        Console.WriteLine($"{"run",-4}{"switch",-17}| {"baseline: rps",13}{"failed",8}{"apply ms",10}{"wait ms",9} | {"switch: rps",11}{"failed",8}{"apply ms",10}{"wait ms",9}{"gap ms",9}");
        for (var run = 1; run <= runs; run++)
        {
            var baseline = await MeasureAsync(live, null);
            var next = Other(live);
            var switched = await MeasureAsync(live, next);
            live = next;
            pairs.Add((baseline, switched));
            Console.WriteLine($"{run,-4}{switched.From + " -> " + switched.To,-17}| {baseline.RequestsPerSecond,13:0}{baseline.Failed,8}{Ms(baseline.Apply),10:0.0}{Ms(baseline.LongestWait),9:0.0} | " +
                $"{switched.RequestsPerSecond,11:0}{switched.Failed,8}{Ms(switched.Apply),10:0.0}{Ms(switched.LongestWait),9:0.0}{Ms(switched.Gap!.Value),9:0.0}");
        }

        var baselines = pairs.Select(p => p.Baseline).ToList();
        var switches = pairs.Select(p => p.Switch).ToList();
        Console.WriteLine();
        Console.WriteLine($"1. Switch time, blue-green with grace 0 (median of {runs})");
        Console.WriteLine($"   {"",-60}{"switch",10}{"baseline",10}{"ratio",8}");
        Row("router apply, ms (baseline: re-apply of the unchanged route)", Median(switches, m => Ms(m.Apply)), Median(baselines, m => Ms(m.Apply)));
        Row("longest wait for any answer, ms (baseline: no deployment)", Median(switches, m => Ms(m.LongestWait)), Median(baselines, m => Ms(m.LongestWait)));
        Console.WriteLine($"   {"last answer of the old release -> first of the new, ms",-60}{Median(switches, m => Ms(m.Gap!.Value)),10:0.0}   (below 0: answers overlapped)");
        Console.WriteLine();
        Console.WriteLine($"2. Requests per second held through a switch (median of {runs})");
        Console.WriteLine($"   {"",-60}{"switch",10}{"baseline",10}{"ratio",8}");
        Row("requests per second", Median(switches, m => m.RequestsPerSecond), Median(baselines, m => m.RequestsPerSecond), "0");
        var failed = switches.Sum(m => m.Failed) + baselines.Sum(m => m.Failed);
        Console.WriteLine($"   {"failed requests, all runs (must be 0)",-60}{switches.Sum(m => m.Failed),10}{baselines.Sum(m => m.Failed),10}");

        failed += await MeasureCanaryAsync(live);
        if (failed > 0)
        {
            Console.Error.WriteLine($"{failed} request(s) failed: the local target dropped traffic (see the failed columns above).");
            return 1;
        }

        return 0;
    }

    /// <summary>Stops the environment's releases and router; false when that failed, so the caller keeps the state folder.</summary>
    public async Task<bool> StopAsync()
    {
        try
        {
            await _deployment.StopAsync(_environment, CancellationToken.None);
            return true;
        }
        catch (Exception e) when (e is RecipeException or IOException)
        {
            Console.Error.WriteLine($"Could not stop the bench environment: {e.Message}");
            return false;
        }
    }

    public IReadOnlyList<string> LogTail(int count)
    {
        lock (_log)
        {
            return [.. _log.TakeLast(count)];
        }
    }

    /// <summary>
    /// One window of steady load on the public port; at <see cref="SwitchAt"/> either a blue-green deployment of
    /// <paramref name="deploy"/> or, for the baseline, a re-apply of the route in force (the same admin call without a change).
    /// </summary>
    private async Task<Measured> MeasureAsync(string live, string? deploy)
    {
        var clock = Stopwatch.StartNew();
        var traffic = Traffic.RunAsync(_url, Window, int.MaxValue, clock, _cancellationToken);
        await Task.Delay(SwitchAt, _cancellationToken);
        var apply = deploy is null ? await ReapplyAsync() : (await DeployAsync(deploy)).SwitchTime ?? throw new RecipeException("the deployment reported no switch time");
        var changed = clock.Elapsed;
        var answers = await traffic;
        if (changed > Window)
        {
            throw new RecipeException($"the {(deploy is null ? "re-apply" : "deployment")} ended {changed.TotalSeconds:0.0} s into a {Window.TotalSeconds:0} s window; the window must hold it, make Window longer");
        }

        if (deploy is not null && (!answers.Any(a => a.Version == live) || !answers.Any(a => a.Version == deploy)))
        {
            throw new RecipeException($"the window did not see both {live} and {deploy} answer; there is no client-side switch to measure");
        }

        return new Measured(answers, Window, apply, live, deploy ?? live);
    }

    private async Task<TimeSpan> ReapplyAsync()
    {
        using var router = Router();
        var route = await router.GetConfigAsync(_cancellationToken) ?? throw new RecipeException("the router has no route to re-apply");
        // Timed like Rollout.RouteAsync times a switch: from the request to the router's answer that the route is in force.
        var clock = Stopwatch.StartNew();
        await router.ApplyAsync(route, _cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>
    /// Starts the other version beside the live one in the idle slot (as a canary deployment would), applies each
    /// split through the router, and counts which version answered <see cref="CanaryRequests"/> requests. The router
    /// picks at random by weight, so the yardstick is a fair random split's standard error, sqrt(p(1-p)/N).
    /// </summary>
    /// <returns>The failed requests.</returns>
    private async Task<int> MeasureCanaryAsync(string live)
    {
        var feed = _feed!;
        var canary = Other(live);
        var supervisor = new ProcessSupervisor(Path.Combine(_state, "slots"));
        var running = supervisor.Status(_environment.Name).Single(s => s.State == SlotState.Running).Process;
        var release = await new ReleaseStore(Path.Combine(_state, "releases", _environment.Name))
            .PrepareAsync(feed.Feed, TestAppFeed.Id, canary, feed.Packages[canary].Sha512, _cancellationToken);
        // Started in the environment's own slot, so LocalDeployment.StopAsync stops it with the rest.
        var started = supervisor.Start(_environment.Name, running.Slot == Rollout.Blue ? Rollout.Green : Rollout.Blue, release);
        await supervisor.WaitHealthyAsync(started, _environment.Health.Path, HttpStatusCode.OK, _environment.Health.Timeout, _cancellationToken);

        Console.WriteLine();
        Console.WriteLine($"3. Canary split accuracy, {CanaryRequests} requests per split ({live} live, {canary} the canary)");
        Console.WriteLine($"   {"canary weight",-16}{"observed",10}{"error, points",15}{"random-split 1 sigma, points",30}{"error / sigma",15}{"failed",8}");
        using var router = Router();
        var failed = 0;
        foreach (var weight in new[] { 10, 50 })
        {
            await router.ApplyAsync(new RouteConfig(
            [
                new RouteDestination("live-" + live, running.Address, 100 - weight),
                new RouteDestination("canary-" + canary, started.Address, weight),
            ]), _cancellationToken);
            var answers = await Traffic.RunAsync(_url, TimeSpan.FromMinutes(1), CanaryRequests, Stopwatch.StartNew(), _cancellationToken);
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

    private Task<DeploymentResult> DeployAsync(string version) =>
        _deployment.DeployAsync(
            new DeploymentRequest(_environment, _feed!.Feed, version, _feed.Packages[version].Sha512, "bench", DeploymentKind.Deploy, "bench/deploy"), _cancellationToken);

    private RouterClient Router() => RouterClient.ForStateDirectory(new EnvironmentRouter(_state, _environment.Name, _environment.Port, Log).StateDirectory);

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static void Row(string what, double measured, double baseline, string format = "0.0") =>
        Console.WriteLine($"   {what,-60}{measured.ToString(format),10}{baseline.ToString(format),10}{measured / baseline,8:0.00}");

    private static double Median(IEnumerable<Measured> measured, Func<Measured, double> value)
    {
        var sorted = measured.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Other(string version) => version == Versions[0] ? Versions[1] : Versions[0];

    private static double Ms(TimeSpan time) => time.TotalMilliseconds;

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
}

/// <summary>What one window of load saw.</summary>
/// <param name="Length">The window's length.</param>
/// <param name="Apply">The router's apply time: the switch's, or the baseline's re-apply.</param>
/// <param name="From">The version live when the window started.</param>
/// <param name="To">The version live when it ended (the same for a baseline).</param>
internal sealed record Measured(IReadOnlyList<Answer> Answers, TimeSpan Length, TimeSpan Apply, string From, string To)
{
    public int Failed => Answers.Count(a => a.Failure is not null);

    /// <summary>Answers per second of the window (requests the window's end cut short are not counted).</summary>
    public double RequestsPerSecond => Answers.Count / Length.TotalSeconds;

    /// <summary>The longest time between two consecutive answers: how long a client waited for anything at worst.</summary>
    public TimeSpan LongestWait
    {
        get
        {
            var ends = Answers.Select(a => a.Ended).Order().ToList();
            return ends.Zip(ends.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
        }
    }

    /// <summary>From the last answer of the old version to the first of the new one; negative when they overlapped. Null for a baseline.</summary>
    public TimeSpan? Gap => From == To ? null
        : Answers.Where(a => a.Version == To).Min(a => a.Ended) - Answers.Where(a => a.Version == From).Max(a => a.Ended);
}
