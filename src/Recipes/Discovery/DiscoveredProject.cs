namespace Recipes.Discovery;

/// <summary>A project of the solution as the pipeline sees it.</summary>
/// <param name="Path">The absolute path of the project file.</param>
/// <param name="Name">The project file's name without its extension.</param>
/// <param name="Kind">What the pipeline does with the project.</param>
/// <param name="Stage">For <see cref="ProjectKind.Test"/> projects, when they run; <see langword="null"/> for the others.</param>
/// <param name="IsPackable">
/// Whether <c>dotnet pack</c> would pack the project (the <c>IsPackable</c> property). Test projects count as not
/// packable unless their project file says otherwise, as Microsoft.NET.Test.Sdk makes them once restored.
/// </param>
/// <param name="TargetFrameworks">The project's target frameworks, in the order the project lists them.</param>
/// <param name="PackageId">The package the project packs to (the <c>PackageId</c> property, the project name unless set).</param>
public sealed record DiscoveredProject(
    string Path,
    string Name,
    ProjectKind Kind,
    TestStage? Stage,
    bool IsPackable,
    IReadOnlyList<string> TargetFrameworks,
    string? PackageId)
{
    /// <summary>
    /// The <c>Version</c>, else <c>VersionPrefix</c>, the repository's own files set; <see langword="null"/> when only
    /// the SDK's default applies. The computed version must not fall below it unnoticed.
    /// </summary>
    internal string? DeclaredVersion { get; init; }

    /// <summary>
    /// The absolute folders under which a build of the project writes one subfolder per configuration (its bin/ and
    /// obj/ unless moved); empty when not evaluated, and then bin/ and obj/ beside the project file are assumed.
    /// </summary>
    internal IReadOnlyList<string> BuildOutputRoots { get; init; } = [];

    /// <summary>Whether the SDK's container support can publish the project as an image (<c>EnableSdkContainerSupport</c>).</summary>
    internal bool SupportsContainers { get; init; }

    /// <summary>Whether the project publishes Native AOT (<c>PublishAot</c>), which Package does for the building machine's platform.</summary>
    internal bool PublishesNativeAot { get; init; }
}
