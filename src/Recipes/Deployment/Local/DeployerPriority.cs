namespace Recipes.Deployment.Local;

/// <summary>
/// A deployment to this machine runs on the cores its live releases serve from: while it works (fetching, unpacking,
/// checking, starting, switching) the deploying process's session yields them the CPU, at nice <see cref="Niceness"/>,
/// and gets its own priority back when the work ends, so a deployment takes the time the live service leaves it
/// instead of the service's throughput. Where the kernel shares the CPU between sessions first (autogroup, on in most
/// distributions for processes outside a CPU cgroup), a process's own nice counts only against its session, so it is
/// the session's nice (<c>/proc/self/autogroup</c>) that is set: the releases and the router lead sessions of their
/// own and keep theirs. Any user may lower and raise back a session's nice between 0 and 19, so this needs no root;
/// elsewhere (no autogroup, other systems) nothing changes. The shell that started the build shares its session and
/// yields with it; only a build killed with SIGKILL mid-deployment leaves it so (<c>echo 0 &gt; /proc/self/autogroup</c>
/// in that shell mends it). Children that lead no session of their own (migration tools) yield with the deployer.
/// </summary>
internal sealed class DeployerPriority
{
    /// <summary>The session's nice while a deployment works: the lowest priority, the cores go to everything else first.</summary>
    public const int Niceness = 19;

    private readonly Lock _gate = new();
    private readonly Func<int?> _readSession;
    private readonly Func<int, bool> _setSession;
    private int _holders;
    private int? _before;
    private bool _exitHooked;

    /// <summary>A priority over a session read and set by <paramref name="readSession"/> and <paramref name="setSession"/> (null where none applies).</summary>
    internal DeployerPriority(Func<int?> readSession, Func<int, bool> setSession)
    {
        _readSession = readSession;
        _setSession = setSession;
    }

    /// <summary>This process's session: its autogroup on Linux with autogroup on, else none (nothing changes).</summary>
    public static DeployerPriority ThisProcess { get; } = new(
        () => OperatingSystem.IsLinux() && WarmUpPriority.SessionsScheduled() ? WarmUpPriority.SessionNicenessOf(System.Environment.ProcessId) : null,
        niceness => WarmUpPriority.SetSessionNiceness(System.Environment.ProcessId, niceness));

    /// <summary>
    /// Lowers the session's priority until the result is disposed (deployments of several environments at once share
    /// one lowering; the last to end raises it back); null, and nothing changed, where it does not apply or the
    /// session is already at <see cref="Niceness"/> or below 0 (a priority given on purpose is left alone).
    /// </summary>
    public IDisposable? Yield()
    {
        lock (_gate)
        {
            if (_holders == 0)
            {
                if (_readSession() is not ({ } now and >= 0 and < Niceness) || !_setSession(Niceness))
                {
                    return null;
                }

                _before = now;
                if (!_exitHooked)
                {
                    // SIGTERM and Ctrl+C end the process through its exit handlers, not always through the deployment's finally.
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => Restore();
                    _exitHooked = true;
                }
            }

            _holders++;
            return new Lowered(this);
        }
    }

    private void Restore()
    {
        lock (_gate)
        {
            if (_before is { } before)
            {
                _setSession(before);
            }

            _before = null;
            _holders = 0;
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            if (_holders > 0 && --_holders == 0)
            {
                Restore();
            }
        }
    }

    private sealed class Lowered(DeployerPriority priority) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                priority.Release();
            }
        }
    }
}
