// Measures the local, docker and hosts deployment targets in the same run, on the same machine, with real routers,
// release processes and containers on loopback; each figure beside a baseline taken in the same run (project rule:
// speed is measured here, as ratios, never by timed test assertions):
//   1. blue-green switch time: from the route change sent to the router (the PUT) to the first answer of the new
//      release, the router's apply time against re-applying the unchanged route, the gap from the old release's last
//      answer to the new one's first, and the longest wait for any answer against the same under no deployment;
//   2. requests per second of closed-loop load through a window with a switch against one without, and failures;
//   3. docker and hosts (three SSH hosts in network namespaces behind nginx) against local, the same figures side by side;
//   4. (local) canary split accuracy: weights applied with RouterClient against the share of answers each version gave.
// Every release, container and router it starts is stopped in the finally block, also after a failure, Ctrl+C or
// SIGTERM; the docker engine and registry it starts (the tests' DockerWorld) stop when the process ends.
// Usage: Deploy.Bench [runs] [all|both|local,docker,hosts]   (run.sh builds it and passes RUNS, default 5, and TARGETS, default all)
using System.Globalization;
using System.Runtime.InteropServices;
using Recipes;
using Recipes.Deployment.Local;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// The load's own process (LoadProcess), started by the bench itself.
if (args is ["--load", var loadUrl])
{
    return await LoadProcess.ServeAsync(new Uri(loadUrl));
}

var runs = 5;
if (args.Length > 0 && (!int.TryParse(args[0], CultureInfo.InvariantCulture, out runs) || runs < 1))
{
    Console.Error.WriteLine($"Usage: Deploy.Bench [runs] [local|docker|both]; '{args[0]}' is not a positive whole number.");
    return 2;
}

// A comma list of local, docker and hosts; all (the default) is the three, both is local and docker (as before hosts).
var targets = (args.Length > 1 ? args[1] : "all") switch
{
    "all" => "local,docker,hosts",
    "both" => "local,docker",
    var list => list,
};
var chosen = targets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
if (chosen.Count == 0 || chosen.Except(["local", "docker", "hosts"]).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"Usage: Deploy.Bench [runs] [all|both|local,docker,hosts]; '{targets}' names no target or an unknown one.");
    return 2;
}

using var interrupted = new CancellationTokenSource();
// Cancelling instead of dying lets the run unwind through the finally below, so no release or router outlives it.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

var root = Directory.CreateTempSubdirectory("recipes-deploy-bench-").FullName;
var bench = new DeployBench(root, interrupted.Token);
var stopped = false;
var dropped = false;
try
{
    Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; {runs} run(s) per target");
    Console.WriteLine();
    var failed = 0;
    var measured = new Dictionary<string, IReadOnlyList<(Measured, Measured)>>(StringComparer.Ordinal);
    var feed = await TestAppFeed.PackAsync(root, DeployBench.Versions, interrupted.Token);
    var localTarget = BenchTarget.Local(feed);
    foreach (var name in (string[])["local", "docker", "hosts"])
    {
        if (!chosen.Contains(name))
        {
            continue;
        }

        var target = name switch
        {
            "local" => localTarget,
            "docker" => await BenchTarget.DockerAsync(root, DeployBench.Versions),
            _ => BenchTarget.Hosts(feed, root),
        };
        measured[name] = await bench.MeasureAsync(target, runs);
        failed += BenchReport.Failed(measured[name]);
    }

    foreach (var (name, pairs) in measured)
    {
        BenchReport.Target(name, pairs);
    }

    measured.TryGetValue("local", out var local);
    foreach (var (name, pairs) in measured.Where(entry => entry.Key != "local" && local is not null))
    {
        BenchReport.Compare(local!, name, pairs);
    }

    if (local is not null)
    {
        failed += await bench.MeasureCanaryAsync(localTarget, feed);
    }

    if (failed > 0)
    {
        Console.Error.WriteLine($"{failed} request(s) failed: a target dropped traffic (see the failed columns and lines above).");
        dropped = true;
        return 1;
    }

    return 0;
}
catch (Exception e) when (e is RecipeException or OperationCanceledException or InvalidOperationException)
{
    Console.Error.WriteLine($"bench/deploy failed: {(interrupted.IsCancellationRequested ? "interrupted" : e.Message)}");
    Console.Error.WriteLine("Last lines of the deployment log:");
    foreach (var line in bench.LogTail(15))
    {
        Console.Error.WriteLine("  " + line);
    }

    return 1;
}
finally
{
    stopped = await bench.StopAsync();
    // A process that could not be stopped still runs from the state folder; keep it, so its pid and log can be found;
    // and the logs of the router and releases of a run that dropped requests, which say why.
    if (stopped && !dropped)
    {
        ReleaseFolders.Delete(root);
    }
    else
    {
        Console.Error.WriteLine($"Kept {root} (see its state/ folder; delete it when done).");
    }
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}
