using System.Runtime.CompilerServices;
using Microsoft.Build.Construction;
using Microsoft.Build.Definition;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Evaluation.Context;
using Microsoft.Build.Exceptions;

namespace Recipes.Discovery;

/// <summary>
/// Reads a solution and evaluates its projects with MSBuild. The only place that uses Microsoft.Build types, so
/// that nothing loads MSBuild before <see cref="MSBuildRegistration"/> has pointed the process at the SDK.
/// </summary>
internal static class SolutionEvaluator
{
    /// <summary>The configuration the pipeline builds; conditions on it in project files then read as they do in CI.</summary>
    internal const string Configuration = "Release";

    // Evaluation, not a build: an import that does not exist yet (a package's props before restore, an SDK that
    // cannot be resolved offline, Visual Studio's targets for a .dcproj) is skipped instead of failing the project.
    private const ProjectLoadSettings LoadSettings =
        ProjectLoadSettings.IgnoreMissingImports | ProjectLoadSettings.IgnoreEmptyImports | ProjectLoadSettings.IgnoreInvalidImports;

    /// <summary>
    /// Evaluates every MSBuild project that <paramref name="solutionPath"/> builds in Release, ordered by path (an
    /// .slnx has no order of its own: MSBuild lists its projects sorted).
    /// </summary>
    /// <exception cref="RecipeException">The solution or one of its projects cannot be read.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<EvaluatedProject> Evaluate(string solutionPath, Action<string> log)
    {
        var solution = ParseSolution(solutionPath);
        var projects = new List<EvaluatedProject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var release = ReleaseConfigurationOf(solution);

        // One collection and one shared evaluation context: resolved SDKs, parsed imports and file-system lookups
        // are then cached across the solution's projects instead of redone for each.
        using var collection = new ProjectCollection(GlobalPropertiesFor(solutionPath));
        var context = EvaluationContext.Create(EvaluationContext.SharingPolicy.Shared);
        try
        {
            foreach (var entry in solution.ProjectsInOrder)
            {
                if (entry.ProjectType != SolutionProjectType.KnownToBeMSBuildFormat)
                {
                    if (entry.ProjectType != SolutionProjectType.SolutionFolder)
                    {
                        log($"Skipping {entry.RelativePath}: not an MSBuild project ({entry.ProjectType}).");
                    }

                    continue;
                }

                var path = Path.GetFullPath(entry.AbsolutePath);
                if (!seen.Add(path))
                {
                    continue;
                }

                if (!IsBuiltIn(entry, release))
                {
                    log($"Skipping {entry.RelativePath}: the solution does not build it in {Configuration}.");
                    continue;
                }

                if (!File.Exists(path))
                {
                    throw new RecipeException($"{solutionPath} lists {entry.RelativePath}, which does not exist; fix or remove the entry.");
                }

                projects.Add(Read(Load(path, collection, context)));
            }
        }
        finally
        {
            collection.UnloadAllProjects();
        }

        return projects.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Evaluates a test project as building <paramref name="solutionPath"/> in <paramref name="configuration"/> with
    /// <paramref name="properties"/> built it (the solution's configuration and platform for the project), after
    /// restore, so that what packages' props set counts, and says where its test assemblies are and whether they can
    /// be run without the project (see <see cref="TestAssemblies"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TestAssemblies TestAssembliesOf(string solutionPath, string projectPath, string configuration, IReadOnlyDictionary<string, string> properties)
    {
        var solution = ParseSolution(solutionPath);
        var global = GlobalPropertiesFor(solutionPath);
        global["Configuration"] = configuration;
        var solutionConfiguration = SolutionConfigurationOf(solution, configuration);
        var entry = solution.ProjectsInOrder.FirstOrDefault(p => string.Equals(Path.GetFullPath(p.AbsolutePath), projectPath, StringComparison.Ordinal));
        if (solutionConfiguration is not null && entry is not null && entry.ProjectConfigurations.TryGetValue(solutionConfiguration, out var mapping))
        {
            // What the solution build passes the project: its own configuration and platform for the solution's.
            global["Configuration"] = mapping.ConfigurationName;
            global["Platform"] = mapping.PlatformName.Replace(" ", string.Empty, StringComparison.Ordinal);
        }

        foreach (var (name, value) in properties)
        {
            global[name] = value;
        }

        using var collection = new ProjectCollection(global);
        var context = EvaluationContext.Create(EvaluationContext.SharingPolicy.Shared);
        try
        {
            var project = Load(projectPath, collection, context);
            if (TestAssembliesUnusable(project) is { } reason)
            {
                return TestAssemblies.ProjectOnly(reason);
            }

            // Cross-targeting as MSBuild decides it: TargetFrameworks set and TargetFramework not (a project that
            // sets both builds the one TargetFramework names).
            var frameworks = project.GetPropertyValue("TargetFramework").Trim().Length > 0 ? string.Empty : project.GetPropertyValue("TargetFrameworks").Trim();
            var paths = frameworks.Length == 0
                ? [project.GetPropertyValue("TargetPath")]
                : TargetFrameworksOf(frameworks)
                    .Select(framework => new Project(projectPath, new Dictionary<string, string>(global) { ["TargetFramework"] = framework }, null, collection, LoadSettings))
                    .Select(inner => inner.GetPropertyValue("TargetPath"))
                    .ToList();
            var runSettings = project.GetPropertyValue("RunSettingsFilePath").Trim();
            return paths.Any(path => path.Length == 0)
                ? TestAssemblies.ProjectOnly("MSBuild names no TargetPath for it")
                : new TestAssemblies(paths, runSettings.Length > 0 ? Path.GetFullPath(runSettings, project.DirectoryPath) : null, null);
        }
        catch (Exception e) when (e is RecipeException or InvalidProjectFileException)
        {
            return TestAssemblies.ProjectOnly(e.Message);
        }
        finally
        {
            collection.UnloadAllProjects();
        }
    }

    /// <summary>Why only <c>dotnet test &lt;project&gt;</c> runs the project's tests as the team set them up; null when its assemblies can be run directly.</summary>
    private static string? TestAssembliesUnusable(Project project)
    {
        bool On(string name) => bool.TryParse(project.GetPropertyValue(name).Trim(), out var on) && on;

        if (NamesSdk(project.Xml, "MSTest.Sdk"))
        {
            return "it uses MSTest.Sdk, whose runner dotnet test starts through the project";
        }

        if (new[] { "TestingPlatformDotnetTestSupport", "UseMicrosoftTestingPlatformRunner", "EnableMSTestRunner", "EnableNUnitRunner" }.FirstOrDefault(On) is { } platform)
        {
            return $"it sets {platform} (Microsoft.Testing.Platform)";
        }

        if (project.GetPropertyValue("PlatformTarget").Trim() is { Length: > 0 } target && !target.Equals("AnyCPU", StringComparison.OrdinalIgnoreCase))
        {
            return $"it sets PlatformTarget {target}, which the VSTest target passes on";
        }

        // dotnet test passes its options to the VSTest target as these properties; one the project sets itself (a
        // logger, a collector, blame) reaches the tests only through that target.
        return VSTestTaskProperties
            .Where(name => project.GetProperty(name) is { IsEnvironmentProperty: false } property && property.EvaluatedValue.Trim().Length > 0)
            .Select(name => $"it sets {name}, which only dotnet test of the project reads")
            .FirstOrDefault();
    }

    /// <summary>The properties the test SDK's VSTest target hands the test platform (Microsoft.TestPlatform.targets), none of them set by default.</summary>
    private static readonly string[] VSTestTaskProperties =
    [
        "VSTestSetting", "VSTestTestAdapterPath", "VSTestTestCaseFilter", "VSTestLogger", "VSTestListTests", "VSTestDiag", "VSTestCLIRunSettings",
        "VSTestResultsDirectory", "VSTestVerbosity", "VSTestCollect", "VSTestBlame", "VSTestBlameCrash", "VSTestBlameCrashDumpType",
        "VSTestBlameCrashCollectAlways", "VSTestBlameHang", "VSTestBlameHangDumpType", "VSTestBlameHangTimeout", "VSTestArtifactsProcessingMode",
        "VSTestSessionCorrelationId",
    ];

    private static SolutionFile ParseSolution(string solutionPath)
    {
        try
        {
            return SolutionFile.Parse(solutionPath);
        }
        catch (InvalidProjectFileException e)
        {
            throw new RecipeException($"Cannot read the solution {solutionPath}: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> GlobalPropertiesFor(string solutionPath) => new()
    {
        ["Configuration"] = Configuration,
        // What MSBuild sets when it builds a solution; project files use them in conditions and paths.
        ["SolutionDir"] = Path.GetDirectoryName(solutionPath) + Path.DirectorySeparatorChar,
        ["SolutionPath"] = solutionPath,
        ["SolutionFileName"] = Path.GetFileName(solutionPath),
        ["SolutionName"] = Path.GetFileNameWithoutExtension(solutionPath),
        ["SolutionExt"] = Path.GetExtension(solutionPath),
    };

    /// <summary>The solution's Release configuration ("Release|Any CPU"), on its default platform when it has several.</summary>
    private static string? ReleaseConfigurationOf(SolutionFile solution) => SolutionConfigurationOf(solution, Configuration);

    /// <summary>The solution's configuration named <paramref name="configuration"/> ("Release|Any CPU"), on its default platform when it has several.</summary>
    private static string? SolutionConfigurationOf(SolutionFile solution, string configuration) =>
        solution.SolutionConfigurations
            .Where(c => c.ConfigurationName.Equals(configuration, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(c => c.PlatformName == solution.GetDefaultPlatformName())
            .Select(c => c.FullName)
            .FirstOrDefault();

    /// <summary>
    /// Whether building the solution in <paramref name="release"/> builds this project, as <c>dotnet build</c>
    /// decides it: a project whose mapping is missing or unchecked is left out. A solution without a Release
    /// configuration says nothing, and then every project counts.
    /// </summary>
    private static bool IsBuiltIn(ProjectInSolution entry, string? release) =>
        release is null || (entry.ProjectConfigurations.TryGetValue(release, out var mapping) && mapping.IncludeInBuild);

    private static Project Load(string path, ProjectCollection collection, EvaluationContext context)
    {
        try
        {
            return Project.FromFile(path, new ProjectOptions
            {
                ProjectCollection = collection,
                EvaluationContext = context,
                LoadSettings = LoadSettings,
            });
        }
        catch (InvalidProjectFileException e)
        {
            throw new RecipeException($"Cannot evaluate {path}: {e.Message}", e);
        }
    }

    private static EvaluatedProject Read(Project project)
    {
        string? Text(string name) => project.GetPropertyValue(name) is { Length: > 0 } value ? value.Trim() : null;
        bool? Flag(string name) => bool.TryParse(Text(name), out var value) ? value : null;

        var isPackable = project.GetProperty("IsPackable");
        return new EvaluatedProject(
            project.FullPath,
            Path.GetFileNameWithoutExtension(project.FullPath),
            Text("OutputType") ?? "",
            TargetFrameworksOf(Text("TargetFrameworks") ?? Text("TargetFramework")),
            Flag("IsPackable"),
            IsPackableSetInProject: isPackable is { Xml: not null, IsImported: false },
            Flag("IsTestProject"),
            UsesWebSdk: Flag("UsingMicrosoftNETSdkWeb") == true,
            UsesWorkerSdk: Flag("UsingMicrosoftNETSdkWorker") == true,
            UsesMSTestSdk: NamesSdk(project.Xml, "MSTest.Sdk"),
            PackAsTool: Flag("PackAsTool") == true,
            Text("PackageId"),
            Text("RecipesTestStage"),
            Flag("RecipesDeployable"),
            project.GetItems("PackageReference").Select(item => item.EvaluatedInclude).ToList())
        {
            DeclaredVersion = DeclaredVersionOf(project),
            BuildOutputRoots = BuildOutputRootsOf(project),
            SupportsContainers = Flag("EnableSdkContainerSupport") == true && Flag("IsPublishable") != false,
            PublishesNativeAot = Flag("PublishAot") == true,
        };
    }

    /// <summary>BaseOutputPath and BaseIntermediateOutputPath made absolute; a property left empty is left out.</summary>
    private static List<string> BuildOutputRootsOf(Project project) =>
        new[] { "BaseOutputPath", "BaseIntermediateOutputPath" }
            .Select(name => project.GetPropertyValue(name).Trim())
            .Where(folder => folder.Length > 0)
            .Select(folder => Path.GetFullPath(folder.Replace('\\', Path.DirectorySeparatorChar), project.DirectoryPath))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Version, else VersionPrefix, when a file of the team's sets it. The SDK sets both (1.0.0, and Version from
    /// VersionPrefix) for every project, so a value defined under the .NET installation or a package does not count.
    /// </summary>
    private static string? DeclaredVersionOf(Project project)
    {
        string[] toolFolders = [.. new[] { "NetCoreRoot", "MSBuildExtensionsPath", "MSBuildSDKsPath", "NuGetPackageRoot" }
            .Select(name => project.GetPropertyValue(name))
            .Where(folder => folder.Length > 0)
            .Select(folder => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar)];
        string? SetByTeam(string name) =>
            project.GetProperty(name) is { Xml.ContainingProject.FullPath: { Length: > 0 } file } property
            && !toolFolders.Any(folder => file.StartsWith(folder, StringComparison.Ordinal))
            && property.EvaluatedValue.Trim() is { Length: > 0 } value
                ? value
                : null;

        return SetByTeam("Version") ?? SetByTeam("VersionPrefix");
    }

    private static List<string> TargetFrameworksOf(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>
    /// Whether the project file names <paramref name="sdk"/> in Sdk="...", an &lt;Sdk&gt; element or an &lt;Import Sdk&gt;.
    /// Read from the XML because an SDK that restore has not fetched yet contributes no properties.
    /// </summary>
    private static bool NamesSdk(ProjectRootElement xml, string sdk)
    {
        static bool Matches(string? reference, string sdk) =>
            (reference ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Any(name => name.Split('/')[0].Trim().Equals(sdk, StringComparison.OrdinalIgnoreCase));

        return Matches(xml.Sdk, sdk) ||
               xml.Children.OfType<ProjectSdkElement>().Any(element => Matches(element.Name, sdk)) ||
               xml.Imports.Any(import => Matches(import.Sdk, sdk));
    }
}
