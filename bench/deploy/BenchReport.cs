/// <summary>The figures of each target beside their baselines, and docker's and hosts' beside local's, as medians of the runs.</summary>
internal static class BenchReport
{
    /// <summary>One target's switches against its baseline windows.</summary>
    public static void Target(string name, IReadOnlyList<(Measured Baseline, Measured Switch)> pairs)
    {
        var baselines = pairs.Select(p => p.Baseline).ToList();
        var switches = pairs.Select(p => p.Switch).ToList();
        Console.WriteLine($"target: {name}, blue-green with grace 0 (median of {pairs.Count})");
        Console.WriteLine($"   {"",-64}{"switch",10}{"baseline",10}{"ratio",8}");
        Row("router apply, ms (baseline: re-apply of the unchanged route)", Median(switches, m => Ms(m.Apply)), Median(baselines, m => Ms(m.Apply)));
        Row("longest wait for any answer, ms (baseline: no deployment)", Median(switches, m => Ms(m.LongestWait)), Median(baselines, m => Ms(m.LongestWait)));
        Row($"requests per second, {DeployBench.ShortestSwitchWindow.TotalSeconds:0} s windows (baseline: no deployment)", Median(switches, m => m.RequestsPerSecond), Median(baselines, m => m.RequestsPerSecond), "0");
        Console.WriteLine($"   {"  per switch / its own baseline (median of the runs' ratios)",-64}{"",10}{"",10}{Median(pairs, p => p.Switch.RequestsPerSecond / p.Baseline.RequestsPerSecond),8:0.00}");
        // One run's median moves with the few switches it has; the interval says how far, from the run's own spread.
        var (low, high) = Interval(pairs, sample => Median(sample, p => p.Switch.RequestsPerSecond) / Median(sample, p => p.Baseline.RequestsPerSecond));
        Console.WriteLine($"   {"  ratio of medians, 90% bootstrap interval (runs resampled)",-64}{"",10}{"",10}{$"{low:0.00}-{high:0.00}",8}");
        // The same answers, cut 2 s after each deployment: a quick deployment's window is then short, and its cost
        // weighs more in it (the measure of stops 24-28).
        Row($"  the same, windows ending {DeployBench.Tail.TotalSeconds:0} s after the deployment", Median(switches, m => m.RequestsPerSecondUntilTail), Median(baselines, m => m.RequestsPerSecond), "0");
        Console.WriteLine($"   {"  per switch / its own baseline (median of the runs' ratios)",-64}{"",10}{"",10}{Median(pairs, p => p.Switch.RequestsPerSecondUntilTail / p.Baseline.RequestsPerSecond),8:0.00}");
        // The ratio depends on the window's length (a deployment that ends sooner has a shorter window, in which the
        // same cost weighs more); this does not: the requests the switch window fell short of its baseline's rate,
        // in seconds of that rate.
        Console.WriteLine($"   {"service lost to a deployment, s (baseline rate x window - answers)",-64}{Median(pairs, Lost),10:0.00}");
        Console.WriteLine($"   {"switch time: route change sent -> first answer of the new, ms",-64}{Median(switches, m => Ms(m.SwitchTime!.Value)),10:0.0}");
        Console.WriteLine($"   {"last answer of the old release -> first of the new, ms",-64}{Median(switches, m => Ms(m.Gap!.Value)),10:0.0}   (below 0: answers overlapped)");
        Console.WriteLine($"   {"failed requests, all runs (must be 0)",-64}{switches.Sum(m => m.Failed),10}{baselines.Sum(m => m.Failed),10}");
        Console.WriteLine();
    }

    /// <summary>Another target's figures (docker's, hosts') beside local's, from the same run on the same machine.</summary>
    public static void Compare(IReadOnlyList<(Measured Baseline, Measured Switch)> local, string name, IReadOnlyList<(Measured Baseline, Measured Switch)> docker)
    {
        Console.WriteLine($"{name} against local (medians of {local.Count} and {docker.Count} switches)");
        Console.WriteLine($"   {"",-64}{"local",10}{name,10}{name + "/local",14}");
        Versus("switch time: route change sent -> first answer of the new, ms", Median(Switches(local), m => Ms(m.SwitchTime!.Value)), Median(Switches(docker), m => Ms(m.SwitchTime!.Value)));
        Versus("router apply (hosts: nginx reload until old workers gone), ms", Median(Switches(local), m => Ms(m.Apply)), Median(Switches(docker), m => Ms(m.Apply)));
        Versus("longest wait for any answer in the switch window, ms", Median(Switches(local), m => Ms(m.LongestWait)), Median(Switches(docker), m => Ms(m.LongestWait)));
        Versus("requests per second through a switch / without one", Median(local, p => p.Switch.RequestsPerSecond / p.Baseline.RequestsPerSecond), Median(docker, p => p.Switch.RequestsPerSecond / p.Baseline.RequestsPerSecond), "0.00");
        Versus("whole deployment (fetch, start, health, switch, stop old), s", Median(Switches(local), m => m.Deploy.TotalSeconds), Median(Switches(docker), m => m.Deploy.TotalSeconds));
        Console.WriteLine($"   {"failed requests during the switches (must be 0)",-64}{Switches(local).Sum(m => m.Failed),10}{Switches(docker).Sum(m => m.Failed),10}");
        Console.WriteLine();
    }

    /// <summary>Seconds of the baseline's throughput the switch window did not answer: its window at the baseline's rate, less what it answered.</summary>
    private static double Lost((Measured Baseline, Measured Switch) pair) =>
        pair.Switch.Length.TotalSeconds - pair.Switch.Answers.Count / pair.Baseline.RequestsPerSecond;

    /// <summary>All requests that failed in any window.</summary>
    public static int Failed(IReadOnlyList<(Measured Baseline, Measured Switch)> pairs) => pairs.Sum(p => p.Baseline.Failed + p.Switch.Failed);

    private static IEnumerable<Measured> Switches(IReadOnlyList<(Measured Baseline, Measured Switch)> pairs) => pairs.Select(p => p.Switch);

    private static void Row(string what, double left, double right, string format = "0.0") =>
        Console.WriteLine($"   {what,-64}{left.ToString(format),10}{right.ToString(format),10}{left / right,8:0.00}");

    private static void Versus(string what, double local, double docker, string format = "0.0") =>
        Console.WriteLine($"   {what,-64}{local.ToString(format),10}{docker.ToString(format),10}{docker / local,14:0.00}");

    private static double Median<T>(IEnumerable<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// The 5th and 95th percentiles of <paramref name="statistic"/> over 2,000 resamples (with replacement) of the
    /// runs: a percentile bootstrap, seeded so that the same runs print the same interval.
    /// </summary>
    private static (double Low, double High) Interval<T>(IReadOnlyList<T> runs, Func<IReadOnlyList<T>, double> statistic)
    {
        const int Resamples = 2_000;
        var random = new Random(18);
        var values = new double[Resamples];
        for (var i = 0; i < Resamples; i++)
        {
            var sample = new T[runs.Count];
            for (var j = 0; j < sample.Length; j++)
            {
                sample[j] = runs[random.Next(runs.Count)];
            }

            values[i] = statistic(sample);
        }

        Array.Sort(values);
        return (values[(int)(Resamples * 0.05)], values[(int)(Resamples * 0.95) - 1]);
    }

    private static double Ms(TimeSpan time) => time.TotalMilliseconds;
}
