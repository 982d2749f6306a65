namespace Recipes.Deployment.Local;

/// <summary>
/// On Unix, a process that outlives the build runs as the child of a small POSIX shell supervisor, which restarts it
/// when it dies the way systemd's <c>Restart=on-failure</c> with <c>StartLimitBurst=5</c> and
/// <c>StartLimitIntervalSec=60</c> does: only once the recipe has armed it (the release passed its health check, the
/// router listens), so a program that fails while starting still fails the deployment at once. It logs each exit,
/// restart and giving up beside the program's output; SIGTERM to it stops the program and does not restart it.
/// Like systemd's default <c>RestartSec</c>, it waits 100 ms before a restart (1 s where <c>sleep</c> takes whole seconds only).
/// </summary>
internal static class Supervision
{
    /// <summary>Lines the supervisor writes to the log start with this, so they can be told from the program's.</summary>
    public const string LinePrefix = "--- recipes:";

    private const string RestartedLine = "--- recipes: restarted";
    private const string ExitedLine = "--- recipes: exited with ";
    private const string GaveUpLine = "--- recipes: gave up";

    /// <summary>
    /// The supervisor: <c>sh -c Script sh &lt;log&gt; &lt;pid file&gt; &lt;armed file&gt; &lt;first marker&gt; program args...</c>;
    /// an empty first marker when its starter has written the start marker already.
    /// <c>wait</c> returns early when the TERM trap runs, so it is repeated until the child has really ended. Its own
    /// lines also go to a small events file beside the pid file (emptied at each start), so that Status reads them
    /// without reading the program's output, which grows with every request an app logs.
    /// </summary>
    public const string Script = """
        log="$1"; pidfile="$2"; armed="$3"; marker="$4"; shift 4
        umask 077
        events="${pidfile%.pid}.events"
        note() { printf -- '%s\n' "$1" >>"$log"; printf -- '%s\n' "$1" >>"$events"; }
        rm -f "$armed"
        : >"$events"
        stopping=0
        child=
        trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT
        starts=
        while :; do
          now=$(date +%s)
          recent=
          count=0
          for at in $starts; do
            if [ $((now - at)) -lt 60 ]; then recent="$recent $at"; count=$((count + 1)); fi
          done
          if [ "$count" -ge 5 ]; then
            note "--- recipes: gave up after $count starts within 60 s at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
            exit 1
          fi
          starts="$recent $now"
          [ -n "$marker" ] && note "$marker $(date -u +%Y-%m-%dT%H:%M:%SZ)"
          "$@" >>"$log" 2>&1 </dev/null &
          child=$!
          echo "$child" >"$pidfile"
          [ "$stopping" = 1 ] && kill -TERM "$child" 2>/dev/null
          while :; do
            wait "$child"
            code=$?
            kill -0 "$child" 2>/dev/null || break
          done
          child=
          note "--- recipes: exited with code $code at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
          if [ "$stopping" = 1 ] || [ ! -e "$armed" ]; then exit "$code"; fi
          sleep 0.1 2>/dev/null || sleep 1
          [ "$stopping" = 1 ] && exit "$code"
          marker='--- recipes: restarted'
        done
        """;

    /// <summary>Where the supervisor records the pid of the program it runs now.</summary>
    public static string PidFile(string logFile) => Path.ChangeExtension(logFile, ".pid");

    /// <summary>The supervisor's own lines since its start (exits, restarts, giving up), without the program's output.</summary>
    public static string EventsFile(string logFile) => Path.ChangeExtension(logFile, ".events");

    /// <summary>While this file exists, the supervisor restarts the program when it dies.</summary>
    public static string ArmedFile(string logFile) => Path.ChangeExtension(logFile, ".armed");

    /// <summary>From now on, the program logging to <paramref name="logFile"/> is restarted when it dies (Unix only).</summary>
    public static void Arm(string logFile)
    {
        if (!OperatingSystem.IsWindows())
        {
            AtomicFile.WriteAllText(ArmedFile(logFile), string.Empty, privateToUser: true);
        }
    }

    /// <summary>The pid of the program the supervisor runs (or ran last), or null when it has not started one.</summary>
    public static int? ProgramPid(string logFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFile(logFile)).Trim(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// What became of the program started under <paramref name="pid"/> (its supervisor's on Unix, the program's
    /// elsewhere) since its last start, from the processes alive now and the supervisor's lines in the log.
    /// </summary>
    /// <param name="logFile">The program's log.</param>
    /// <param name="pid">The pid the start returned.</param>
    /// <param name="entryAssembly">What the program's command line contains, so a reused pid is not taken for it.</param>
    /// <param name="stopped">Whether it was stopped on purpose.</param>
    public static SupervisionStatus Read(string logFile, int pid, string entryAssembly, bool stopped)
    {
        var alive = DetachedProcesses.IsRunning(pid, entryAssembly);
        if (OperatingSystem.IsWindows())
        {
            return new SupervisionStatus(alive ? "running" : stopped ? "stopped" : "dead", alive ? pid : null, 0, null);
        }

        var lines = SupervisorLines(logFile);
        var restarts = lines.Count(line => line.StartsWith(RestartedLine, StringComparison.Ordinal));
        var lastExit = lines.LastOrDefault(line => line.StartsWith(ExitedLine, StringComparison.Ordinal))?[ExitedLine.Length..];
        var program = ProgramPid(logFile);
        var programAlive = program is { } p && DetachedProcesses.IsRunning(p, entryAssembly);
        // No pid file yet: just started, or started before releases were supervised.
        var state = alive ? (programAlive || program is null ? "running" : "restarting")
            : programAlive ? "running unsupervised"
            : stopped ? "stopped"
            : lines.Any(line => line.StartsWith(GaveUpLine, StringComparison.Ordinal)) ? "gave up"
            : "dead";
        return new SupervisionStatus(state, programAlive ? program : null, restarts, lastExit);
    }

    /// <summary>
    /// The supervisor's lines since its start, from its events file; from the whole log only for a release started
    /// by a recipe without events files (read once, when it is replaced).
    /// </summary>
    private static IReadOnlyList<string> SupervisorLines(string logFile)
    {
        try
        {
            return File.ReadAllLines(EventsFile(logFile));
        }
        catch (FileNotFoundException)
        {
            return DetachedProcesses.LinesOfLastStart(logFile);
        }
    }
}

/// <summary>A supervised program as Status shows it.</summary>
/// <param name="State">running, restarting, running unsupervised (its supervisor was killed), stopped, dead or gave up.</param>
/// <param name="ProgramPid">The program's own pid while it runs.</param>
/// <param name="Restarts">Restarts since the deployment (or the recipe) started it.</param>
/// <param name="LastExit">How and when it last ended, such as <c>code 137 at 2026-11-30T16:30:46Z</c>.</param>
internal sealed record SupervisionStatus(string State, int? ProgramPid, int Restarts, string? LastExit)
{
    /// <summary>Such as <c>running, 2 restarts, last exit code 137 at 2026-11-30T16:30:46Z</c>.</summary>
    public override string ToString() =>
        State + (Restarts > 0 ? $", {Restarts} restart{(Restarts == 1 ? string.Empty : "s")}" : string.Empty) + (LastExit is { } exit ? $", last exit {exit}" : string.Empty);
}
