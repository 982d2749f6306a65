// Measures the local and the docker deployment targets in the same run, on the same machine, with real routers,
// release processes and containers on loopback; each figure beside a baseline taken in the same run (project rule:
// speed is measured here, as ratios, never by timed test assertions):
//   1. blue-green switch time: from the route change sent to the router (the PUT) to the first answer of the new
//      release, the router's apply time against re-applying the unchanged route, the gap from the old release's last
//      answer to the new one's first, and the longest wait for any answer against the same under no deployment;
//   2. requests per second of closed-loop load through a window with a switch against one without, and failures;
//   3. docker against local, the same figures side by side;
//   4. (local) canary split accuracy: weights applied with RouterClient against the share of answers each version gave.
// Every release, container and router it starts is stopped in the finally block, also after a failure, Ctrl+C or
// SIGTERM; the docker engine and registry it starts (the tests' DockerWorld) stop when the process ends.
// Usage: Deploy.Bench [runs] [local|docker|both]   (run.sh builds it and passes RUNS, default 5, and TARGETS, default both)
using System.Globalization;
using System.Runtime.InteropServices;
using Recipes;
using Recipes.Deployment.Local;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var runs = 5;
if (args.Length > 0 && (!int.TryParse(args[0], CultureInfo.InvariantCulture, out runs) || runs < 1))
{
    Console.Error.WriteLine($"Usage: Deploy.Bench [runs] [local|docker|both]; '{args[0]}' is not a positive whole number.");
    return 2;
}

var targets = args.Length > 1 ? args[1] : "both";
if (targets is not ("local" or "docker" or "both"))
{
    Console.Error.WriteLine($"Usage: Deploy.Bench [runs] [local|docker|both]; '{targets}' is none of them.");
    return 2;
}

using var interrupted = new CancellationTokenSource();
// Cancelling instead of dying lets the run unwind through the finally below, so no release or router outlives it.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

var root = Directory.CreateTempSubdirectory("recipes-deploy-bench-").FullName;
var bench = new DeployBench(root, interrupted.Token);
var stopped = false;
try
{
    Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; {runs} run(s) per target");
    Console.WriteLine();
    var failed = 0;
    IReadOnlyList<(Measured, Measured)>? local = null, docker = null;
    var feed = await TestAppFeed.PackAsync(root, DeployBench.Versions, interrupted.Token);
    var localTarget = BenchTarget.Local(feed);
    if (targets is "local" or "both")
    {
        local = await bench.MeasureAsync(localTarget, runs);
        failed += BenchReport.Failed(local);
    }

    if (targets is "docker" or "both")
    {
        docker = await bench.MeasureAsync(await BenchTarget.DockerAsync(root, DeployBench.Versions), runs);
        failed += BenchReport.Failed(docker);
    }

    if (local is not null)
    {
        BenchReport.Target("local", local);
    }

    if (docker is not null)
    {
        BenchReport.Target("docker", docker);
    }

    if (local is not null && docker is not null)
    {
        BenchReport.Compare(local, docker);
    }

    if (local is not null)
    {
        failed += await bench.MeasureCanaryAsync(localTarget, feed);
    }

    if (failed > 0)
    {
        Console.Error.WriteLine($"{failed} request(s) failed: a target dropped traffic (see the failed columns above).");
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
    // A process that could not be stopped still runs from the state folder; keep it, so its pid and log can be found.
    if (stopped)
    {
        ReleaseFolders.Delete(root);
    }
    else
    {
        Console.Error.WriteLine($"Kept {root} (see its state/ folder).");
    }
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}
