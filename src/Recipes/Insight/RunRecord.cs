using System.Text.Json;
using Recipes.Ci.BuildServers;

namespace Recipes.Insight;

/// <summary>One task of a recorded run: its status and how long it took.</summary>
internal sealed record RunRecordTask(string Task, string Status, double Seconds, string? SkipReason);

/// <summary>
/// The tasks of the last pipeline run, kept in the artifacts folder so that the Report target, run later (maybe in
/// another CI job), can draw the run's timeline. Written at the end of every run that has an artifacts folder,
/// except runs that only read (Report, Metrics, History, Status, Drift), which would otherwise replace the pipeline's record.
/// </summary>
internal sealed record RunRecord(DateTimeOffset Finished, bool Succeeded, IReadOnlyList<RunRecordTask> Tasks)
{
    public const string FileName = "run.json";

    private static readonly HashSet<string> ReadOnlyTargets = new(["Report", "Metrics", "History", "Status", "Drift"], StringComparer.OrdinalIgnoreCase);

    // Cake reports the run's setup and teardown actions beside its tasks; they are not stages of the pipeline.
    private static readonly HashSet<string> RunActions = new(["Setup", "Teardown"], StringComparer.OrdinalIgnoreCase);

    public static void Save(string? path, RunReport report, DateTimeOffset finished)
    {
        var tasks = report.Tasks.Where(task => !RunActions.Contains(task.Task)).ToList();
        if (path is null || !Directory.Exists(Path.GetDirectoryName(path)) || tasks.Count == 0
            || tasks.All(task => ReadOnlyTargets.Contains(task.Task)))
        {
            return;
        }

        var record = new RunRecord(
            finished,
            report.Succeeded,
            [.. tasks.Select(task => new RunRecordTask(task.Task, task.Status, Math.Round(task.Duration.TotalSeconds, 3), task.SkipReason))]);
        try
        {
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, JsonSerializerOptions.Web));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The record only feeds the report; a read-only artifacts folder must not fail a finished run.
        }
    }

    /// <summary>The record in <paramref name="artifactsRoot"/>, or null when there is none or it cannot be read.</summary>
    public static RunRecord? Load(string artifactsRoot)
    {
        var path = Path.Combine(artifactsRoot, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), JsonSerializerOptions.Web) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
