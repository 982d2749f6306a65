using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using Recipes.Deployment.Slots;

namespace Recipes.Deployment.Local;

/// <summary>
/// Runs releases as local processes that outlive the build: <c>dotnet &lt;entry assembly&gt; --urls
/// http://127.0.0.1:&lt;free port&gt;</c>, one per slot of an environment, each recorded in
/// <c>&lt;state&gt;/&lt;environment&gt;/&lt;slot&gt;.json</c> (pid, port, release, start time) with its output in
/// <c>&lt;slot&gt;.log</c> beside it, so a later build can check, stop or replace it.
/// </summary>
internal sealed partial class ProcessSupervisor
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Creates the supervisor for the state folder <paramref name="stateDirectory"/> (created when needed).</summary>
    public ProcessSupervisor(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        StateDirectory = Path.GetFullPath(stateDirectory);
    }

    /// <summary>The state folder.</summary>
    public string StateDirectory { get; }

    /// <summary>
    /// Starts <paramref name="release"/> in <paramref name="slot"/> of <paramref name="environment"/> on a free loopback
    /// port, detached from this process, and records it. It is not yet known to be healthy: see <see cref="WaitHealthyAsync"/>.
    /// </summary>
    /// <exception cref="RecipeException">The slot already runs a process, or a secret's variable is not set.</exception>
    public ReleaseProcess Start(string environment, string slot, Release release, ReleaseStartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(release);
        options ??= new ReleaseStartOptions();
        var stateFile = StateFile(environment, slot);
        if (Read(stateFile) is { } previous && DetachedProcesses.IsRunning(previous.Pid, previous.Release.EntryAssembly))
        {
            throw new RecipeException(
                $"slot {slot} of {environment} already runs {previous.Release.Id} {previous.Release.Version} (pid {previous.Pid}); stop it before starting another release there");
        }

        var variables = new Dictionary<string, string>(options.Variables)
        {
            ["ASPNETCORE_ENVIRONMENT"] = options.AspNetCoreEnvironment ?? "Production",
        };
        var dataFolder = AddFolderVariables(variables, environment, release);
        foreach (var (appVariable, buildVariable) in options.Secrets)
        {
            variables[appVariable] = System.Environment.GetEnvironmentVariable(buildVariable)
                ?? throw new RecipeException($"the secret {appVariable} for {environment} comes from the variable {buildVariable}, which is not set; set it in the build's environment");
        }

        PrivateFiles.CreateDirectory(Path.GetDirectoryName(stateFile)!);
        PrivateFiles.CreateOrRestrictDirectory(dataFolder);
        var logFile = Path.ChangeExtension(stateFile, ".log");
        var port = FreeLoopbackPort();
        var startedAt = DateTimeOffset.UtcNow;
        var (program, arguments) = ReadOnlyReleaseMount.Wrap(release.Command("--urls", $"http://127.0.0.1:{port}"), release.Folder);
        var pid = DetachedProcesses.Start(program, arguments, dataFolder, logFile, variables);
        var process = new ReleaseProcess(environment, slot, pid, port, release, startedAt, logFile);
        Write(stateFile, process);
        return process;
    }

    /// <summary>
    /// Polls <c>GET http://127.0.0.1:&lt;port&gt;/&lt;path&gt;</c> until it answers <paramref name="expectedStatus"/>;
    /// fails at once when the process exits, and after <paramref name="timeout"/> with the last answer it got and, for
    /// a 404, the app's paths that do answer.
    /// </summary>
    /// <exception cref="ReleaseUnhealthyException">The release exited or did not answer as expected in time.</exception>
    public Task WaitHealthyAsync(ReleaseProcess process, string path, HttpStatusCode expectedStatus, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        return ReleaseHealthCheck.WaitAsync(process, path, expectedStatus, timeout, Describe(process), () => LogTail(process.LogFile), cancellationToken);
    }

    /// <summary>
    /// Starts <paramref name="release"/> (see <see cref="Start"/>) and waits until it passes <paramref name="health"/>.
    /// A process that ends before it runs (its free port taken by another program between choosing and binding, or
    /// gone without a word) says nothing about the release, so it is started again on another port, twice at most.
    /// It warms up at a lower CPU priority where it can be raised back (see <see cref="WarmUpPriority"/>).
    /// </summary>
    /// <param name="environment">The environment.</param>
    /// <param name="slot">The slot to start it in.</param>
    /// <param name="release">The release.</param>
    /// <param name="options">What it is started with.</param>
    /// <param name="health">The check it must pass.</param>
    /// <param name="started">Told of each process started, before its health is known.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="ReleaseUnhealthyException">The release exited or did not become healthy in time.</exception>
    internal async Task<ReleaseProcess> StartHealthyAsync(
        string environment, string slot, Release release, ReleaseStartOptions options, HealthCheck health, Action<ReleaseProcess> started, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var process = Start(environment, slot, release, options);
            // Its start-up competes with the live release at a lower priority, and never for more than half of the
            // health check's time: then it gets the build's priority, so that a busy machine alone does not fail it.
            var lowered = await WarmUpPriority.LowerAsync(process.Pid, cancellationToken);
            using var raiseLate = lowered ? new Timer(_ => WarmUpPriority.Restore(process.Pid), null, health.Timeout / 2, Timeout.InfiniteTimeSpan) : null;
            started(process);
            try
            {
                await WaitHealthyAsync(process, health.Path, (HttpStatusCode)health.ExpectedStatus, health.Timeout, cancellationToken);
                if (lowered)
                {
                    WarmUpPriority.Restore(process.Pid);
                }

                // Healthy once: from now on its supervisor restarts it when it dies.
                Supervision.Arm(process.LogFile);
                return process;
            }
            catch (ReleaseUnhealthyException) when (attempt < 3 && EndedBeforeRunning(process))
            {
                await StopAsync(environment, slot, TimeSpan.FromSeconds(10), cancellationToken);
            }
        }
    }

    private static bool EndedBeforeRunning(ReleaseProcess process)
    {
        if (DetachedProcesses.IsAlive(process.Pid))
        {
            return false;
        }

        var output = DetachedProcesses.OutputOfLastStart(process.LogFile);
        return output.Count == 0 || output.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Stops the process in <paramref name="slot"/>: asks it to end (SIGTERM), kills it when it has not ended after
    /// <paramref name="gracePeriod"/>, and records it as stopped. A slot with nothing running is only recorded.
    /// </summary>
    /// <returns>The slot's record, or null when the slot was never started.</returns>
    public async Task<ReleaseProcess?> StopAsync(string environment, string slot, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        var stateFile = StateFile(environment, slot);
        if (Read(stateFile) is not { } process)
        {
            return null;
        }

        if (RunningPid(process) is { } pid)
        {
            DetachedProcesses.RequestStop(pid);
            var clock = Stopwatch.StartNew();
            while (DetachedProcesses.IsRunning(pid, process.Release.EntryAssembly) && clock.Elapsed < gracePeriod)
            {
                await Task.Delay(100, cancellationToken);
            }

            if (DetachedProcesses.IsRunning(pid, process.Release.EntryAssembly))
            {
                DetachedProcesses.Kill(pid);
            }
        }

        var stopped = process with { StoppedAt = process.StoppedAt ?? DateTimeOffset.UtcNow };
        Write(stateFile, stopped);
        return stopped;
    }

    /// <summary>
    /// Every slot of <paramref name="environment"/> that has a state file, with whether its process is alive: on Unix
    /// whether its supervisor is, so a release being restarted counts as running (its folder is in use).
    /// </summary>
    public IReadOnlyList<SlotStatus> Status(string environment)
    {
        var folder = Path.Combine(StateDirectory, CheckedName(environment, "environment"));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(Read).OfType<ReleaseProcess>()
            .Select(process => new SlotStatus(process,
                RunningPid(process) is not null ? SlotState.Running
                : process.StoppedAt is null ? SlotState.Dead : SlotState.Stopped)
            {
                Supervision = Supervision.Read(process.LogFile, process.Pid, process.Release.EntryAssembly, process.StoppedAt is not null),
            })];
    }

    /// <summary>
    /// The pid to stop the slot's release by: its supervisor's while that runs, else the app's when it runs alone
    /// (its supervisor was killed); null when neither runs.
    /// </summary>
    private static int? RunningPid(ReleaseProcess process)
    {
        if (DetachedProcesses.IsRunning(process.Pid, process.Release.EntryAssembly))
        {
            return process.Pid;
        }

        return Supervision.ProgramPid(process.LogFile) is { } app && DetachedProcesses.IsRunning(app, process.Release.EntryAssembly) ? app : null;
    }

    /// <summary>The release folders that running processes of any environment use, which pruning must keep.</summary>
    public IReadOnlyList<string> FoldersInUse()
    {
        if (!Directory.Exists(StateDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(StateDirectory)
            .SelectMany(folder => Status(Path.GetFileName(folder)))
            .Where(slot => slot.State == SlotState.Running)
            .Select(slot => slot.Process.Release.Folder)
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on now: the OS picks it when binding port 0.</summary>
    internal static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private string StateFile(string environment, string slot) =>
        Path.Combine(StateDirectory, CheckedName(environment, "environment"), CheckedName(slot, "slot") + ".json");

    private static string CheckedName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, what);
        return name.IndexOfAny(['/', '\\', ':']) < 0 && name is not ("." or "..")
            ? name
            : throw new RecipeException($"the {what} name '{name}' is not a plain name; use letters, digits, '-' or '_'");
    }

    /// <summary>The last lines the app wrote, which usually say why it exited.</summary>
    private static string LogTail(string logFile)
    {
        try
        {
            var lines = DetachedProcesses.OutputOfLastStart(logFile).TakeLast(2).ToList();
            return lines.Count == 0 ? "; it wrote nothing" : $"; its log ends: {string.Join(" / ", lines)}";
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string Describe(ReleaseProcess process) =>
        $"{process.Release.Id} {process.Release.Version} in slot {process.Slot} of {process.Environment} (pid {process.Pid}, port {process.Port})";

    private static ReleaseProcess? Read(string stateFile)
    {
        if (!File.Exists(stateFile))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ReleaseProcess>(File.ReadAllText(stateFile), Json);
        }
        catch (JsonException e)
        {
            throw new RecipeException($"the process state file {stateFile} is not valid JSON ({e.Message}); stop the process by hand and delete the file", e);
        }
    }

    private static void Write(string stateFile, ReleaseProcess process)
    {
        AtomicFile.WriteAllText(stateFile, JsonSerializer.Serialize(process, Json), privateToUser: true);
    }
}
