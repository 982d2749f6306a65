using System.Diagnostics;

namespace Recipes.Discovery;

/// <summary>
/// Finds the projects of a solution and decides what the pipeline does with each: pack it, deploy it, test it, or
/// only build it. Works before restore: nothing needs to be built or restored first.
/// </summary>
/// <remarks>
/// <para>Each project is evaluated with MSBuild (Configuration=Release) and the first matching row decides its kind:</para>
/// <list type="table">
/// <listheader><term>Kind</term><description>When</description></listheader>
/// <item><term>Test</term><description><c>IsTestProject</c> is true.</description></item>
/// <item><term>Test</term><description>The project uses the <c>MSTest.Sdk</c> project SDK, or references
/// Microsoft.NET.Test.Sdk, MSTest.Sdk, MSTest, NUnit, xunit or xunit.v3, and does not set <c>IsTestProject</c> to false
/// (the package references count because <c>IsTestProject</c> comes from Microsoft.NET.Test.Sdk only after restore).</description></item>
/// <item><term>Deployable</term><description><c>RecipesDeployable</c> is true.</description></item>
/// <item><term>Deployable</term><description><c>OutputType</c> is Exe or WinExe, the project uses Microsoft.NET.Sdk.Web or
/// Microsoft.NET.Sdk.Worker, and <c>RecipesDeployable</c> is not false.</description></item>
/// <item><term>Other</term><description><c>IsPackable</c> is not true (false, or a project the SDK does not pack).</description></item>
/// <item><term>Library</term><description>The project file itself sets <c>IsPackable</c> to true.</description></item>
/// <item><term>Other</term><description>Packable only by default, and named *.Benchmarks, *.Benchmark, *.Demo,
/// *.Samples or *.Sample.</description></item>
/// <item><term>Other</term><description>Packable only by default, and a console program (Exe, WinExe) that is not a
/// .NET tool (<c>PackAsTool</c>).</description></item>
/// <item><term>Library</term><description>Everything else that is packable: class libraries and .NET tools.</description></item>
/// </list>
/// <para>
/// "Only by default" means the SDK's default or a repository-wide Directory.Build.props: a setting that does not name
/// the project says nothing about whether someone meant to publish it. A test project runs in the Slow stage when
/// <c>RecipesTestStage</c> is Slow, or when it does not set <c>RecipesTestStage</c> and its name ends with
/// .IntegrationTests, .AcceptanceTests, .EndToEndTests or .SlowTests; otherwise in the Fast stage.
/// </para>
/// <para>
/// The first discovery in a process registers the .NET SDK that <c>dotnet</c> picks in the solution's folder
/// (Microsoft.Build.Locator); later ones reuse it.
/// </para>
/// </remarks>
public sealed class ProjectDiscovery
{
    private readonly Action<string> _log;

    /// <summary>Creates a discovery that reports what it found, and why, to <paramref name="log"/>.</summary>
    /// <param name="log">Receives one line per decision (the SDK used, each project's kind and the rule that decided it).</param>
    public ProjectDiscovery(Action<string>? log = null)
    {
        _log = log ?? (_ => { });
    }

    /// <summary>Returns the solution's projects, ordered by path, classified as the table above says.</summary>
    /// <param name="solutionPath">A .sln or .slnx file (see <see cref="SolutionLocator.Find"/>).</param>
    /// <param name="reclassify">
    /// Called with each classified project; returns it as the team wants it (for example
    /// <c>p =&gt; p.Name == "Tools" ? p with { Kind = ProjectKind.Other } : p</c>). Stage is then made to match
    /// Kind: cleared for projects that are not tests, Fast for tests that have none.
    /// </param>
    /// <exception cref="RecipeException">
    /// The solution, one of its projects or a RecipesTestStage value cannot be read, or no .NET SDK is installed.
    /// </exception>
    public IReadOnlyList<DiscoveredProject> Discover(string solutionPath, Func<DiscoveredProject, DiscoveredProject>? reclassify = null)
    {
        var solution = Path.GetFullPath(solutionPath);
        if (!File.Exists(solution))
        {
            throw new SolutionNotFoundException($"The solution {solution} does not exist.");
        }

        var started = Stopwatch.StartNew();
        MSBuildRegistration.EnsureRegistered(Path.GetDirectoryName(solution)!, _log);
        var evaluated = SolutionEvaluator.Evaluate(solution, _log);

        var projects = new List<DiscoveredProject>(evaluated.Count);
        foreach (var project in evaluated)
        {
            var (classified, reason) = ProjectClassifier.Classify(project);
            var final = reclassify is null ? classified : Reclassified(classified, reclassify);
            var why = final == classified ? reason : $"changed by the build; discovery said {Describe(classified)}: {reason}";
            _log($"{Path.GetRelativePath(Path.GetDirectoryName(solution)!, final.Path)}: {Describe(final)} ({why})");
            projects.Add(final);
        }

        _log($"Discovered {projects.Count} projects in {started.ElapsedMilliseconds} ms.");
        return projects;
    }

    /// <summary>
    /// Where a built test project's test assemblies are, as building <paramref name="solutionPath"/> in
    /// <paramref name="configuration"/> with <paramref name="properties"/> put them, and whether they can be run
    /// without the project (see <see cref="TestAssemblies"/>).
    /// </summary>
    internal static TestAssemblies TestAssembliesOf(string solutionPath, string projectPath, string configuration, IDictionary<string, string> properties, Action<string> log)
    {
        MSBuildRegistration.EnsureRegistered(Path.GetDirectoryName(solutionPath)!, log);
        return SolutionEvaluator.TestAssembliesOf(solutionPath, projectPath, configuration, properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));
    }

    private static DiscoveredProject Reclassified(DiscoveredProject project, Func<DiscoveredProject, DiscoveredProject> reclassify)
    {
        var changed = reclassify(project)
            ?? throw new InvalidOperationException($"The reclassify callback returned null for {project.Name}; return the project itself to keep it.");

        // Keep the record's promise that only test projects, and every test project, have a stage.
        return changed.Kind == ProjectKind.Test
            ? changed with { Stage = changed.Stage ?? TestStage.Fast }
            : changed with { Stage = null };
    }

    private static string Describe(DiscoveredProject project) =>
        project.Stage is { } stage ? $"{project.Kind} ({stage})" : project.Kind.ToString();
}
