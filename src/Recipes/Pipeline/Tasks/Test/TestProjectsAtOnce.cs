using System.Diagnostics;
using Cake.Core.Diagnostics;
using Recipes.Testing;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Runs independent test projects at once, at most a given number together. Each project's output is kept in a
/// buffer of its own and printed whole, under a header, when the project ends, so two projects' lines never mix.
/// </summary>
internal static class TestProjectsAtOnce
{
    /// <summary>Runs each of <paramref name="runs"/>; returns their outcomes in the same order.</summary>
    /// <param name="runs">The projects' runs, by project name, set up and ready to execute.</param>
    /// <param name="parallelism">How many run together at most (the test-parallelism setting).</param>
    /// <param name="log">Where each project's output goes when it ends.</param>
    public static IReadOnlyList<(TestCounts Counts, bool Succeeded)> Execute(
        IReadOnlyList<(string Name, TestProjectRun Run)> runs, int parallelism, ICakeLog log)
    {
        var at = Math.Min(parallelism, runs.Count);
        if (at <= 1)
        {
            return [.. runs.Select(r => r.Run.Execute())];
        }

        log.Information("Running {0} test projects, {1} at a time: {2}; each one's output follows when it ends", runs.Count, at, string.Join(", ", runs.Select(r => r.Name)));
        var outcomes = new (TestCounts Counts, bool Succeeded)[runs.Count];
        try
        {
            RunAll(runs, at, log, outcomes);
        }
        catch (AggregateException all)
        {
            // The first project that could not run at all (no results written), as a run one after another says it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(all.InnerExceptions[0]).Throw();
        }

        return outcomes;
    }

    private static void RunAll(IReadOnlyList<(string Name, TestProjectRun Run)> runs, int at, ICakeLog log, (TestCounts Counts, bool Succeeded)[] outcomes)
    {
        var printing = new Lock();
        Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = at }, index =>
        {
            var (name, run) = runs[index];
            var buffer = new StringWriter();
            var synchronized = TextWriter.Synchronized(buffer);
            // No progress lines: the whole output is printed at the end, and the header says how long the project ran.
            run.Progress = project => new TestProgress(project, synchronized, synchronized, terminal: false, TimeProvider.System, Timeout.InfiniteTimeSpan);
            run.Warn = synchronized.WriteLine;
            var clock = Stopwatch.StartNew();
            try
            {
                outcomes[index] = run.Execute();
            }
            finally
            {
                lock (printing)
                {
                    var outcome = outcomes[index] is { Counts: not null } done ? (done.Succeeded ? "passed" : "FAILED") : "did not finish";
                    log.Information("──── {0}: {1} in {2:0.0} s ────", name, outcome, clock.Elapsed.TotalSeconds);
                    foreach (var line in buffer.ToString().Split('\n'))
                    {
                        if (line.TrimEnd('\r') is { Length: > 0 } text)
                        {
                            log.Information("{0}", text);
                        }
                    }
                }
            }
        });
    }
}
