using System.Diagnostics;
using Recipes.Deployment.Local;

// Why Routing/ is not under Local/: every slot target (SlotTarget: local processes and docker containers alike) puts
// its two slots behind this router on the environment's public port, so it is shared, not one target's part.
namespace Recipes.Deployment.Routing;

/// <summary>
/// The router of one environment on this machine: a Recipes.Router process that owns the environment's public port
/// and outlives the build, with its state in <c>&lt;state&gt;/&lt;environment&gt;/router/</c> and its files copied to
/// <c>&lt;state&gt;/routers/&lt;content hash&gt;/</c> (see <see cref="RouterCopies"/>). Started on first use,
/// reused while it runs, restarted (with its saved route) when it has died.
/// </summary>
internal sealed class EnvironmentRouter
{
    /// <summary>The router's main assembly, under <c>router/</c> beside Recipes.dll (the package's build props copy it there).</summary>
    public const string AssemblyFileName = "Recipes.Router.dll";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _environment;
    private readonly int _port;
    private readonly Action<string> _log;
    private readonly string _stateRoot;

    public EnvironmentRouter(string stateDirectory, string environment, int port, Action<string> log)
    {
        _environment = environment;
        _port = port;
        _log = log;
        _stateRoot = stateDirectory;
        StateDirectory = Path.Combine(stateDirectory, environment, "router");
    }

    /// <summary>The router's state folder: admin token, router.json, the saved route and its log.</summary>
    public string StateDirectory { get; }

    /// <summary>Where the router's output goes.</summary>
    public string LogFile => Path.Combine(StateDirectory, "router.log");

    /// <summary>The router assembly that travels with Recipes.</summary>
    public static string FindAssembly()
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "router", AssemblyFileName),
            Path.Combine(Path.GetDirectoryName(typeof(EnvironmentRouter).Assembly.Location) ?? AppContext.BaseDirectory, "router", AssemblyFileName),
            // The template's build program runs from the package's tools/program/, beside tools/router/.
            Path.Combine(AppContext.BaseDirectory, "..", "router", AssemblyFileName),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new RecipeException(
                $"The deployment router is missing: there is no {candidates[0]}. It comes with the Recipes package (tools/router/), copied to router/ by its build props; rebuild the build project (delete .build/ and run ./build.sh again).");
    }

    /// <summary>Where the pid of the router's supervisor (Unix) or of the router itself (elsewhere) is kept.</summary>
    private string SupervisorFile => Path.Combine(StateDirectory, "supervisor.pid");

    private string InfoFile => Path.Combine(StateDirectory, RouterClient.InfoFileName);

    /// <summary>The running router's process id, or null when it does not run.</summary>
    public int? RunningPid()
    {
        var info = RouterClient.RouterInfo.Read(StateDirectory);
        return info is not null && DetachedProcesses.IsRunning(info.Pid, AssemblyFileName) ? info.Pid : null;
    }

    /// <summary>The pid of the router's supervisor while it runs (restarting the router or not), else null.</summary>
    private int? SupervisorPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(SupervisorFile).Trim(), out var pid) && DetachedProcesses.IsRunning(pid, AssemblyFileName) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether the router runs, is being restarted, was stopped or died, its restarts and last exit; null when never started.</summary>
    public SupervisionStatus? Supervision()
    {
        if (!File.Exists(SupervisorFile) || !int.TryParse(File.ReadAllText(SupervisorFile).Trim(), out var pid))
        {
            return null;
        }

        // Stop removes router.json; a router that died leaves it behind.
        return Local.Supervision.Read(LogFile, pid, AssemblyFileName, stopped: !File.Exists(InfoFile));
    }

    /// <summary>A client for the environment's router, starting the router first when it does not run.</summary>
    /// <exception cref="RecipeException">The router did not start, most often because the port is taken.</exception>
    public async Task<RouterClient> EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (RunningPid() is not null)
        {
            var client = RouterClient.ForStateDirectory(StateDirectory);
            if (await client.IsRunningAsync(cancellationToken))
            {
                return client;
            }

            client.Dispose();
        }

        if (SupervisorPid() is { } supervisor)
        {
            // Its supervisor is restarting it: wait for that rather than start a second router on the same port.
            if (await WaitUntilListeningAsync(supervisor, cancellationToken) is { } restarted)
            {
                return restarted;
            }

            DetachedProcesses.Kill(supervisor);
        }

        PrivateFiles.CreateDirectory(StateDirectory);
        for (var attempt = 1; ; attempt++)
        {
            var started = await StartAsync(cancellationToken);
            if (started is null)
            {
                return RouterClient.ForStateDirectory(StateDirectory);
            }

            // A router that ended without a word did not meet a problem of its own (a taken port is logged): once more.
            if (attempt == 2 || started.Length > 0)
            {
                throw new RecipeException(
                    $"The router of {_environment} did not start on port {_port}: {(started.Length > 0 ? started : "it ended without writing anything")}. If another program uses the port, change 'port' of {_environment} in the environments file.");
            }
        }
    }

    private async Task<RouterClient?> WaitUntilListeningAsync(int supervisor, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout && DetachedProcesses.IsAlive(supervisor))
        {
            if (RunningPid() is not null)
            {
                var client = RouterClient.ForStateDirectory(StateDirectory);
                if (await client.IsRunningAsync(cancellationToken))
                {
                    return client;
                }

                client.Dispose();
            }

            await Task.Delay(100, cancellationToken);
        }

        return null;
    }

    /// <summary>Starts the router and waits until it listens; then its supervisor restarts it whenever it dies.</summary>
    /// <returns>Null once it listens; else what its log ended with (empty when it wrote nothing).</returns>
    private async Task<string?> StartAsync(CancellationToken cancellationToken)
    {
        var infoFile = InfoFile;
        File.Delete(infoFile);

        // Run from the state folder's own copy, so that a rebuild or a clean of the build program never rewrites a running router.
        var assembly = RouterCopies.Ensure(_stateRoot, FindAssembly());
        RouterCopies.Prune(_stateRoot, assembly, TimeSpan.FromHours(1));
        var pid = DetachedProcesses.Start(
            DotnetHost.Path(),
            [assembly, "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--admin-port", "0", "--state", StateDirectory],
            StateDirectory,
            LogFile,
            new Dictionary<string, string>());
        AtomicFile.WriteAllText(SupervisorFile, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), privateToUser: true);
        _log($"Started the router of {_environment} on http://127.0.0.1:{_port}/ (pid {pid})");

        var waited = Stopwatch.StartNew();
        while (!File.Exists(infoFile))
        {
            if (!DetachedProcesses.IsAlive(pid) || waited.Elapsed > StartTimeout)
            {
                DetachedProcesses.Kill(pid);
                return LastLines(LogFile);
            }

            await Task.Delay(50, cancellationToken);
        }

        Local.Supervision.Arm(LogFile);
        return null;
    }

    /// <summary>Stops the router when it runs; its saved route stays for the next start.</summary>
    /// <returns>Whether a router was running.</returns>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        // The supervisor passes SIGTERM on to the router and then ends without restarting it.
        if ((SupervisorPid() ?? RunningPid()) is not { } pid)
        {
            return false;
        }

        DetachedProcesses.RequestStop(pid);
        var waited = Stopwatch.StartNew();
        while ((DetachedProcesses.IsRunning(pid, AssemblyFileName) || RunningPid() is not null) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, cancellationToken);
        }

        DetachedProcesses.Kill(pid);
        File.Delete(InfoFile);
        return true;
    }

    /// <summary>What the router said last, without stack frames (a failure it knows is one line of its own).</summary>
    private static string LastLines(string file) =>
        string.Join(" / ", DetachedProcesses.OutputOfLastStart(file).Where(line => !line.StartsWith("at ", StringComparison.Ordinal)).TakeLast(3));
}
