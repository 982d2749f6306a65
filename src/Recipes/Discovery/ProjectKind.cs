namespace Recipes.Discovery;

/// <summary>
/// What the pipeline does with a project. <see cref="ProjectDiscovery"/> decides it from the project's evaluated
/// MSBuild properties; the table is documented on <see cref="ProjectDiscovery"/>.
/// </summary>
public enum ProjectKind
{
    /// <summary>Packed and published as a NuGet package (a class library, or a console program packed as a .NET tool).</summary>
    Library,

    /// <summary>An application that is published and deployed: a web app, a worker service, or a project that opts in.</summary>
    Deployable,

    /// <summary>A test project, run in the <see cref="TestStage"/> it belongs to.</summary>
    Test,

    /// <summary>Built with the solution but neither packed, deployed nor tested (benchmarks, samples, tools for the repository).</summary>
    Other,
}
