using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Restore;
using Cake.Common.Tools.DotNet.Test;
using Cake.Core;
using Cake.Core.Diagnostics;
using DirectoryPath = Cake.Core.IO.DirectoryPath;

namespace Recipes.Testing;

/// <summary>
/// Runs one test project with <c>dotnet test</c> (through Cake.Common's DotNetTest), writing TRX, JUnit XML and
/// Cobertura coverage into its own results folder, and reads back the counts.
/// </summary>
public sealed class TestProjectRun(ICakeContext context, string projectPath, string resultsDirectory)
{
    private bool _restored;

    /// <summary>Build configuration.</summary>
    public required string Configuration { get; init; }

    /// <summary>True when the compile stage has built the project already.</summary>
    public bool NoBuild { get; init; }

    /// <summary>A test filter, or null for every test.</summary>
    public string? Filter { get; init; }

    /// <summary>MSBuild properties passed to restore, build and test (e.g. the feed and version under test).</summary>
    public IDictionary<string, string> Properties { get; } = new Dictionary<string, string>();

    /// <summary>
    /// The built test assemblies to run directly (<c>dotnet test &lt;assembly&gt;</c>, one call per target framework)
    /// instead of the project, which saves the project's MSBuild evaluation; null to run the project. Only for a
    /// project that is built already (<see cref="NoBuild"/>): MSBuild properties do not reach an assembly's run.
    /// </summary>
    internal IReadOnlyList<string>? Assemblies { get; init; }

    /// <summary>The run settings file to pass with <see cref="Assemblies"/> (the project's RunSettingsFilePath), or null.</summary>
    internal string? RunSettings { get; init; }

    /// <summary>The TRX files of the last <see cref="Execute"/>, one per target framework, with their counts.</summary>
    internal IReadOnlyList<TrxFile> ResultFiles { get; private set; } = [];

    /// <summary>Changes the restore's and the test run's settings after this run has set its own (the team's settings hooks).</summary>
    internal Action<DotNetSettings>? AdjustSettings { get; set; }

    /// <summary>Makes the progress of a project's run from its name; the console's by default.</summary>
    internal Func<string, TestProgress> Progress { get; set; } = TestProgress.ForConsole;

    /// <summary>Says that dotnet test failed; the build's log by default, the project's own buffer when projects run at once.</summary>
    internal Action<string>? Warn { get; set; }

    /// <summary>
    /// Restores the project with <see cref="Properties"/> (the test run then restores no more), and returns its
    /// project.assets.json, to see what the restore resolved before any test runs.
    /// </summary>
    internal string Restore()
    {
        var settings = new DotNetRestoreSettings { MSBuildSettings = new DotNetMSBuildSettings() };
        foreach (var (key, value) in Properties)
        {
            settings.MSBuildSettings.Properties[key] = [value];
        }

        AdjustSettings?.Invoke(settings);
        context.DotNetRestore(projectPath, settings);
        _restored = true;
        return ResolvedPackagesUnderTest.FindAssetsFile(projectPath, Properties);
    }

    /// <summary>Runs the tests. Returns the counts and whether dotnet test reported success.</summary>
    public (TestCounts Counts, bool Succeeded) Execute()
    {
        if (Directory.Exists(resultsDirectory))
        {
            Directory.Delete(resultsDirectory, recursive: true);
        }

        Directory.CreateDirectory(resultsDirectory);
        var name = Path.GetFileNameWithoutExtension(projectPath);
        var succeeded = true;
        using var progress = Progress(name);
        var direct = NoBuild && Assemblies is { Count: > 0 };
        foreach (var target in direct ? Assemblies! : [projectPath])
        {
            succeeded &= Run(target, direct, name, progress);
        }

        TestResultsFolder.Flatten(resultsDirectory, name);
        var trxFiles = TrxFile.LoadAll(resultsDirectory);
        if (direct && trxFiles.Count == 0)
        {
            // No results from the assemblies (a runner the test platform does not know, set up where the evaluation
            // could not see it): the project's own dotnet test decides, as it always did.
            context.Log.Verbose("{0}: its assemblies gave no test results; running the project instead", name);
            Directory.Delete(resultsDirectory, recursive: true);
            Directory.CreateDirectory(resultsDirectory);
            succeeded = Run(projectPath, assembly: false, name, progress);
            TestResultsFolder.Flatten(resultsDirectory, name);
            trxFiles = TrxFile.LoadAll(resultsDirectory);
        }

        ResultFiles = trxFiles;
        var counts = trxFiles.Select(f => f.Counts).Aggregate(TestCounts.None, (a, b) => a + b);
        if (trxFiles.Count == 0 && succeeded)
        {
            throw new RecipeException($"dotnet test wrote no results for {name} in {resultsDirectory}; check that the project contains tests and a test adapter.");
        }

        return (counts, succeeded && counts.Failed == 0);
    }

    /// <summary>One <c>dotnet test</c> of the project, or of one of its built assemblies; false when it reported failure.</summary>
    private bool Run(string target, bool assembly, string name, TestProgress progress)
    {
        var settings = new DotNetTestSettings
        {
            // An assembly's run takes neither a configuration nor build options: it is built, and vstest runs it.
            Configuration = assembly ? null : Configuration,
            NoBuild = !assembly && NoBuild,
            NoRestore = !assembly && (NoBuild || _restored),
            Settings = assembly && RunSettings is { } runSettings ? new Cake.Core.IO.FilePath(runSettings) : null,
            Filter = Filter,
            ResultsDirectory = resultsDirectory,
            // The console logger at normal verbosity names each result as it comes, which the progress counts.
            Loggers = ["console;verbosity=normal", $"trx;LogFilePrefix={name}", $"junit;LogFilePath={Path.Combine(resultsDirectory, "{assembly}.{framework}.junit.xml")}"],
            Collectors = ["XPlat Code Coverage"],
            MSBuildSettings = new DotNetMSBuildSettings(),
            // A test project may target a runtime this machine lacks; run it on a newer one rather than failing (the log says which).
            EnvironmentVariables = { [RuntimeRollForward.Variable] = RuntimeRollForward.Value },
        };
        // MSBuild properties reach a project's run only: an assembly's run has no MSBuild in it.
        foreach (var (key, value) in Properties.Where(_ => !assembly))
        {
            settings.MSBuildSettings.Properties[key] = [value];
        }

        // A test assembly built with its own coverage collector (the project references coverlet.collector) finds it
        // beside itself; pointing vstest at the recipe's copy as well costs every run about 0.8 s of loading it again.
        var ownCollector = assembly && File.Exists(Path.Combine(Path.GetDirectoryName(target)!, "coverlet.collector.dll"));
        var adapters = new[] { ToolPackages.JUnitLogger, ownCollector ? null : ToolPackages.CoverageCollector }.OfType<string>().ToList();
        if (adapters.Count > 0)
        {
            settings.TestAdapterPath = new DirectoryPath(string.Join(';', adapters));
        }

        var succeeded = true;
        settings.SetupProcessSettings = process =>
        {
            process.RedirectStandardOutput = true;
            process.RedirectedStandardOutputHandler = progress.OnOutput;
            process.RedirectStandardError = true;
            process.RedirectedStandardErrorHandler = progress.OnError;
        };
        AdjustSettings?.Invoke(settings);
        try
        {
            context.DotNetTest(target, settings);
        }
        catch (CakeException ex)
        {
            var warning = $"{name}: {ex.Message}";
            if (Warn is { } warn)
            {
                warn(warning);
            }
            else
            {
                context.Log.Warning("{0}", warning);
            }

            succeeded = false;
        }

        return succeeded;
    }
}
