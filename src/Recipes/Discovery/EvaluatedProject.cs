namespace Recipes.Discovery;

/// <summary>
/// The facts about one project that classification needs, read from its MSBuild evaluation. Plain data, so that
/// <see cref="ProjectClassifier"/> can be tested without MSBuild.
/// </summary>
/// <param name="Path">The absolute path of the project file.</param>
/// <param name="Name">The project file's name without its extension.</param>
/// <param name="OutputType">The <c>OutputType</c> property (Exe, WinExe, Library, ...), empty when not set.</param>
/// <param name="TargetFrameworks">From <c>TargetFrameworks</c>, else <c>TargetFramework</c>.</param>
/// <param name="IsPackable"><c>IsPackable</c>, <see langword="null"/> when not set or not a boolean.</param>
/// <param name="IsPackableSetInProject">Whether the project file itself sets <c>IsPackable</c> (not an import).</param>
/// <param name="IsTestProject"><c>IsTestProject</c>, <see langword="null"/> when not set or not a boolean.</param>
/// <param name="UsesWebSdk"><c>UsingMicrosoftNETSdkWeb</c> is true (Sdk="Microsoft.NET.Sdk.Web").</param>
/// <param name="UsesWorkerSdk"><c>UsingMicrosoftNETSdkWorker</c> is true (Sdk="Microsoft.NET.Sdk.Worker").</param>
/// <param name="UsesMSTestSdk">The project names the MSTest.Sdk project SDK.</param>
/// <param name="PackAsTool"><c>PackAsTool</c> is true (the project packs as a .NET tool).</param>
/// <param name="PackageId"><c>PackageId</c>, <see langword="null"/> when empty.</param>
/// <param name="TestStage"><c>RecipesTestStage</c> as written, <see langword="null"/> when empty.</param>
/// <param name="Deployable"><c>RecipesDeployable</c>, <see langword="null"/> when not set or not a boolean.</param>
/// <param name="PackageReferences">The ids of the project's <c>PackageReference</c> items.</param>
internal sealed record EvaluatedProject(
    string Path,
    string Name,
    string OutputType,
    IReadOnlyList<string> TargetFrameworks,
    bool? IsPackable,
    bool IsPackableSetInProject,
    bool? IsTestProject,
    bool UsesWebSdk,
    bool UsesWorkerSdk,
    bool UsesMSTestSdk,
    bool PackAsTool,
    string? PackageId,
    string? TestStage,
    bool? Deployable,
    IReadOnlyList<string> PackageReferences)
{
    /// <summary>
    /// The <c>Version</c>, else <c>VersionPrefix</c>, the team's own files set (the project, a Directory.Build.props);
    /// <see langword="null"/> when only the SDK's default 1.0.0 applies.
    /// </summary>
    public string? DeclaredVersion { get; init; }

    /// <summary>
    /// The absolute <c>BaseOutputPath</c> and <c>BaseIntermediateOutputPath</c> (bin/ and obj/ unless the team moved
    /// them): the folders under which a build writes one subfolder per configuration.
    /// </summary>
    public IReadOnlyList<string> BuildOutputRoots { get; init; } = [];

    /// <summary>
    /// Whether the SDK's container support can publish the project as an image (<c>EnableSdkContainerSupport</c>, on by
    /// default for apps, and <c>IsPublishable</c> not false).
    /// </summary>
    public bool SupportsContainers { get; init; }

    /// <summary>Whether the project publishes Native AOT (<c>PublishAot</c>): a native executable for one platform, no JIT at start-up.</summary>
    public bool PublishesNativeAot { get; init; }

    /// <summary>Whether the project builds a program rather than a library.</summary>
    public bool IsExecutable =>
        OutputType.Equals("Exe", StringComparison.OrdinalIgnoreCase) ||
        OutputType.Equals("WinExe", StringComparison.OrdinalIgnoreCase);
}
