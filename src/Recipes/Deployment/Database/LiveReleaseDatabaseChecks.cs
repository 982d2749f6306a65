using Cake.Core;
using Recipes.Ci.BuildServers;
using Recipes.Testing;
using Recipes.Versioning;

namespace Recipes.Deployment.Database;

/// <summary>
/// The live release's own database checks, the last part of the compatibility check: the slow tests its team marked
/// <c>DatabaseCheck</c>, taken from the live release's commit (a temporary git worktree, never the new commit's tests),
/// built against its packages from the feed by exact version, and aimed at the live environment and its database.
/// </summary>
/// <param name="cake">Runs dotnet test.</param>
/// <param name="repositoryRoot">The clone that holds the live release's commit.</param>
/// <param name="slowTestProjects">The slow test projects, relative to the root (discovered only when a check runs).</param>
/// <param name="feed">The feed the packages are restored from (as SlowTests gives it).</param>
/// <param name="configuration">The build configuration.</param>
internal sealed class LiveReleaseDatabaseChecks(ICakeContext cake, string repositoryRoot, Func<IReadOnlyList<string>> slowTestProjects, string feed, string configuration)
{
    /// <summary>The category (xunit trait "Category", NUnit Category, MSTest TestCategory) that marks a database check.</summary>
    public const string Category = "DatabaseCheck";

    /// <summary>The variable that gives a database check the live environment's address.</summary>
    public const string EnvironmentUrlVariable = "RECIPES_ENVIRONMENT_URL";

    /// <summary>
    /// Runs the checks of <paramref name="live"/>. Returns null when they ran and passed (or there are none), or a
    /// warning when they could not run (the commit is not in this clone); the deployment goes on after a warning.
    /// </summary>
    /// <param name="live">The live release's ledger row: its version and commit.</param>
    /// <param name="port">The environment's public port.</param>
    /// <param name="database">The variables that give a test the database, as the release gets them (never printed).</param>
    /// <param name="resultsRoot">Where each project's TRX files go.</param>
    /// <param name="log">The deployment's log.</param>
    /// <exception cref="RecipeException">A database check failed (project and tests named).</exception>
    public string? Run(DeploymentRecord live, int port, IReadOnlyDictionary<string, string> database, string resultsRoot, Action<string> log)
    {
        var projects = slowTestProjects();
        if (projects.Count == 0)
        {
            return null;
        }

        if (Git("cat-file", "-e", $"{live.Commit}^{{commit}}").ExitCode != 0)
        {
            return $"warning: the live release {live.Version}'s database checks could not run: its commit {live.Commit} is not in this clone (a shallow clone?); fetch it (git fetch --unshallow) to run them";
        }

        var tree = Directory.CreateTempSubdirectory("recipes-database-checks-").FullName;
        try
        {
            if (Git("worktree", "add", "--detach", tree, live.Commit) is { ExitCode: not 0 } failed)
            {
                throw new RecipeException($"git worktree add of the live release's commit {live.Commit} failed ({failed.ExitCode}): {failed.Error.Trim()}");
            }

            var ran = 0;
            foreach (var relative in projects)
            {
                ran += RunProject(live, Path.Combine(tree, relative), port, database, resultsRoot, log);
            }

            if (ran == 0)
            {
                log($"Compatibility check: the live release {live.Version} has no tests marked {Category} in its slow test projects ({string.Join(", ", projects)})");
            }
        }
        finally
        {
            Git("worktree", "remove", "--force", tree);
            if (Directory.Exists(tree))
            {
                Directory.Delete(tree, recursive: true);
            }

            Git("worktree", "prune");
        }

        return null;
    }

    /// <summary>git in the clone; the caller decides what a failure means.</summary>
    private ToolResult Git(params string[] arguments) =>
        ToolProcess.Run("git", ["-C", repositoryRoot, .. arguments], repositoryRoot, GitTimeout, NoVariables);

    /// <summary>A worktree of a large repository takes a while to check out; a hung git must not hang the deployment.</summary>
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(5);

    private static readonly IReadOnlyDictionary<string, string?> NoVariables = new Dictionary<string, string?>();

    /// <summary>
    /// The filter that selects the marked tests: xunit's traits and NUnit take <c>Category</c>; MSTest knows only
    /// <c>TestCategory</c> and rejects a filter naming <c>Category</c>, so no one expression serves all three.
    /// </summary>
    internal static string FilterFor(string projectFileText) =>
        projectFileText.Contains("MSTest", StringComparison.OrdinalIgnoreCase) ? $"TestCategory={Category}" : $"Category={Category}";

    /// <summary>Runs one project's marked tests; returns how many ran (0 when the project is not in the live release's tree).</summary>
    private int RunProject(DeploymentRecord live, string project, int port, IReadOnlyDictionary<string, string> database, string resultsRoot, Action<string> log)
    {
        var name = Path.GetFileNameWithoutExtension(project);
        if (!File.Exists(project))
        {
            log($"Compatibility check: {name} is not in the live release {live.Version}'s commit, so it has no database checks there");
            return 0;
        }

        var results = Path.Combine(resultsRoot, name);
        var run = new TestProjectRun(cake, project, results) { Configuration = configuration, Filter = FilterFor(File.ReadAllText(project)) };
        run.Properties[PublishedPackageProperties.Version] = live.Version;
        run.Properties[PublishedPackageProperties.Feed] = feed;
        run.Properties["RestoreNoHttpCache"] = "true";
        run.AdjustSettings = settings =>
        {
            settings.EnvironmentVariables[EnvironmentUrlVariable] = $"http://127.0.0.1:{port}";
            foreach (var (variable, value) in database)
            {
                settings.EnvironmentVariables[variable] = value;
            }
        };
        log($"Compatibility check: running the live release {live.Version}'s {Category} tests of {name} (commit {live.Commit})");
        // A filter that selects no test still writes a TRX (0 tests) and exits 0: counted as none run.
        var (counts, succeeded) = run.Execute();
        if (!succeeded)
        {
            var failed = FailedTest.FromTrxFiles(results).Select(test => test.Name).ToList();
            var which = failed.Count > 0 ? string.Join(", ", failed) : "dotnet test failed before any test ran (its output is above)";
            throw new RecipeException(
                $"Compatibility check failed: the live release {live.Version}'s database checks in {name} fail on the expanded schema: {which}; nothing switched. Results: {results}");
        }

        return counts.Total;
    }
}
