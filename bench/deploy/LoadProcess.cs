using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The closed-loop load of <see cref="Traffic"/> in a process of its own (this program with <c>--load URL</c>), running
/// from before a target's first window to after its last. In the bench's own process, the deployer's work and its
/// garbage collections paused the load's workers, a cost no real client pays for a deployment; and a new client per
/// window spent its first moments connecting, which weighed more in a short switch window than in a long baseline.
/// Here the load's process only sends requests and keeps their answers; windows are slices of its one continuous run,
/// taken by the <see cref="Stopwatch"/> timestamps both processes read from the same monotonic clock.
/// </summary>
internal sealed class LoadProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LoadProcess(Process process) => _process = process;

    /// <summary>The load process's id, for its CPU time.</summary>
    public int Id => _process.Id;

    /// <summary>Starts the load on <paramref name="url"/> (loopback only, as <see cref="Traffic"/> checks).</summary>
    public static LoadProcess Start(Uri url)
    {
        // In a session of its own (setsid execs in place, so the pid is the load's): with autogroup scheduling (on in
        // most distributions) the CPU is shared between sessions first, and a client in the deployer's session would
        // lose to the deployer what a client on another machine never does.
        string[] load = [Environment.ProcessPath ?? "dotnet", typeof(LoadProcess).Assembly.Location, "--load", url.ToString()];
        string[] command = OperatingSystem.IsLinux() ? ["setsid", .. load] : load;
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        return new LoadProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the load process"));
    }

    /// <summary>
    /// The answers that ended in [<paramref name="from"/>, <paramref name="to"/>) (Stopwatch timestamps), as offsets
    /// from <paramref name="from"/>; the load process forgets everything it answered up to now.
    /// </summary>
    public async Task<IReadOnlyList<Answer>> TakeAsync(long from, long to, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("take".AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
        var answers = new List<Answer>();
        while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line && line != "end")
        {
            var (started, ended, version, failure) = Parse(line);
            if (ended >= from && ended < to)
            {
                answers.Add(new Answer(Stopwatch.GetElapsedTime(from, started), Stopwatch.GetElapsedTime(from, ended), version, failure));
            }
        }

        return [.. answers.OrderBy(a => a.Started)];
    }

    /// <summary>Ends the load (its input closes) and waits for the process.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    /// <summary>
    /// The load process's side: runs the load on <paramref name="url"/> until its input closes; on each line
    /// <c>take</c> writes the answers recorded since the last one, a line each, then <c>end</c>.
    /// </summary>
    public static async Task<int> ServeAsync(Uri url)
    {
        using var stop = new CancellationTokenSource();
        var answers = new System.Collections.Concurrent.ConcurrentQueue<(long Started, long Ended, string? Version, string? Failure)>();
        var load = Traffic.RunUntilAsync(url, answers, stop.Token);
        var output = Console.Out;
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command != "take")
            {
                continue;
            }

            // Only what is in the queue now: answers arriving while this writes wait for the next take.
            for (var count = answers.Count; count > 0 && answers.TryDequeue(out var answer); count--)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{answer.Started} {answer.Ended} {answer.Version ?? "-"} {Uri.EscapeDataString(answer.Failure ?? "-")}"));
            }

            await output.WriteLineAsync("end");
            await output.FlushAsync();
        }

        await stop.CancelAsync();
        await load;
        return 0;
    }

    private static (long Started, long Ended, string? Version, string? Failure) Parse(string line)
    {
        var fields = line.Split(' ');
        var failure = Uri.UnescapeDataString(fields[3]);
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture),
            fields[2] == "-" ? null : fields[2], failure == "-" ? null : failure);
    }
}
