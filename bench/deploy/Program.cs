// Measures the local deployment target with real routers and release processes on loopback, each figure beside a
// baseline taken in the same run (project rule: speed is measured here, as ratios, never by timed test assertions):
//   1. blue-green switch time: the router's apply time against re-applying the unchanged route, and what a client
//      sees: the gap from the old release's last answer to the new one's first, and the longest wait for any answer
//      against the same under no deployment;
//   2. requests per second of closed-loop load through a window with a switch against one without, and failures;
//   3. canary split accuracy: weights applied with RouterClient against the share of answers each version gave.
// Every release and router it starts is stopped in the finally block, also after a failure, Ctrl+C or SIGTERM.
// Usage: Deploy.Bench [runs]   (run.sh builds it and passes RUNS, default 5)
using System.Globalization;
using System.Runtime.InteropServices;
using Recipes;
using Recipes.Deployment.Local;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var runs = 5;
if (args.Length > 0 && (!int.TryParse(args[0], CultureInfo.InvariantCulture, out runs) || runs < 1))
{
    Console.Error.WriteLine($"Usage: Deploy.Bench [runs]; '{args[0]}' is not a positive whole number.");
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
    return await bench.RunAsync(runs);
}
catch (Exception e) when (e is RecipeException or OperationCanceledException)
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
        Console.Error.WriteLine($"Kept {root} (see its slots/ and bench/router/ folders).");
    }
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}
