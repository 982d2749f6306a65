namespace Recipes.Discovery;

/// <summary>
/// Decides a project's <see cref="ProjectKind"/> and <see cref="TestStage"/> from its evaluated facts. The rules are
/// one ordered table: the first rule that applies wins. <see cref="ProjectDiscovery"/> documents them for users.
/// </summary>
internal static class ProjectClassifier
{
    /// <summary>Packages that only a test project references (a helper library references the assertion packages instead).</summary>
    internal static readonly IReadOnlySet<string> TestFrameworkPackages = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.NET.Test.Sdk", "MSTest.Sdk", "MSTest", "NUnit", "xunit", "xunit.v3",
    };

    /// <summary>Name endings of test projects that belong in the slow stage.</summary>
    internal static readonly IReadOnlyList<string> SlowTestSuffixes =
        ["IntegrationTests", "AcceptanceTests", "EndToEndTests", "SlowTests"];

    /// <summary>Name endings of projects that the SDK leaves packable but nobody means to publish.</summary>
    internal static readonly IReadOnlyList<string> NonPackageSuffixes =
        ["Benchmarks", "Benchmark", "Demo", "Samples", "Sample"];

    private sealed record Rule(ProjectKind Kind, string Reason, Func<EvaluatedProject, bool> Applies);

    // Order matters: a test project is never deployed or packed, an explicit RecipesDeployable beats every guess,
    // and IsPackable written in the project file beats the name and console-program guesses.
    private static readonly Rule[] Rules =
    [
        new(ProjectKind.Test, "IsTestProject is true", p => p.IsTestProject == true),
        new(ProjectKind.Test, "uses the MSTest.Sdk project SDK", p => p.IsTestProject != false && p.UsesMSTestSdk),
        new(ProjectKind.Test, "references a test framework package", p => p.IsTestProject != false && ReferencesTestFramework(p)),
        new(ProjectKind.Deployable, "RecipesDeployable is true", p => p.Deployable == true),
        new(ProjectKind.Deployable, "a web app (Microsoft.NET.Sdk.Web)", p => p.Deployable != false && p.IsExecutable && p.UsesWebSdk),
        new(ProjectKind.Deployable, "a worker service (Microsoft.NET.Sdk.Worker)", p => p.Deployable != false && p.IsExecutable && p.UsesWorkerSdk),
        new(ProjectKind.Other, "not packable", p => p.IsPackable != true),
        new(ProjectKind.Library, "IsPackable is true in the project file", p => p.IsPackableSetInProject),
        new(ProjectKind.Other, "a benchmark, demo or sample (by its name) that is packable only by default", HasNonPackageName),
        new(ProjectKind.Other, "a console program, not a .NET tool, that is packable only by default", p => p.IsExecutable && !p.PackAsTool),
        new(ProjectKind.Library, "packable", _ => true),
    ];

    /// <summary>Classifies <paramref name="project"/> and says which rule decided.</summary>
    /// <exception cref="RecipeException">RecipesTestStage holds neither Fast nor Slow.</exception>
    public static (DiscoveredProject Project, string Reason) Classify(EvaluatedProject project)
    {
        var rule = Rules.First(r => r.Applies(project));
        var isTest = rule.Kind == ProjectKind.Test;
        var discovered = new DiscoveredProject(
            project.Path,
            project.Name,
            rule.Kind,
            isTest ? StageOf(project) : null,
            // Microsoft.NET.Test.Sdk turns packing off once restored; say so before restore too.
            IsPackable: project.IsPackable == true && (!isTest || project.IsPackableSetInProject),
            project.TargetFrameworks,
            project.PackageId)
        {
            DeclaredVersion = project.DeclaredVersion,
            BuildOutputRoots = project.BuildOutputRoots,
            SupportsContainers = project.SupportsContainers,
            PublishesNativeAot = project.PublishesNativeAot,
        };
        return (discovered, rule.Reason);
    }

    /// <summary>RecipesTestStage when set, else Slow for the slow name endings, else Fast.</summary>
    internal static TestStage StageOf(EvaluatedProject project)
    {
        if (project.TestStage is { } written)
        {
            return written.Trim() switch
            {
                var s when s.Equals(nameof(TestStage.Fast), StringComparison.OrdinalIgnoreCase) => TestStage.Fast,
                var s when s.Equals(nameof(TestStage.Slow), StringComparison.OrdinalIgnoreCase) => TestStage.Slow,
                _ => throw new RecipeException(
                    $"{project.Path}: RecipesTestStage is '{written}'; set it to Fast or Slow, or remove it."),
            };
        }

        return EndsWithAny(project.Name, SlowTestSuffixes) ? TestStage.Slow : TestStage.Fast;
    }

    private static bool ReferencesTestFramework(EvaluatedProject project) =>
        project.PackageReferences.Any(TestFrameworkPackages.Contains);

    private static bool HasNonPackageName(EvaluatedProject project) => EndsWithAny(project.Name, NonPackageSuffixes);

    /// <summary>Whether <paramref name="name"/> is one of the suffixes or ends with "." and one of them.</summary>
    private static bool EndsWithAny(string name, IReadOnlyList<string> suffixes) =>
        suffixes.Any(suffix =>
            name.Equals(suffix, StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase));
}
