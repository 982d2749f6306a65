namespace Recipes.Discovery;

/// <summary>
/// The assemblies a built test project's tests are in (one per target framework) and its run settings, when they can
/// be run straight through the test platform (<c>dotnet test &lt;assembly&gt;</c>) with the same outcome as <c>dotnet
/// test &lt;project&gt;</c>, which first evaluates the project with MSBuild: about 1.4 s and 1.5 s of CPU per project
/// on a 2-core machine, as much again as running the tests of a small project. When they cannot be,
/// <see cref="ProjectOnlyBecause"/> says why and the project runs through <c>dotnet test &lt;project&gt;</c>.
/// </summary>
/// <param name="Paths">The full paths of the test assemblies, one per target framework; empty when <see cref="ProjectOnlyBecause"/> is set.</param>
/// <param name="RunSettings">The project's <c>RunSettingsFilePath</c> (full path), or null.</param>
/// <param name="ProjectOnlyBecause">Why the project's tests run only through the project, or null.</param>
internal sealed record TestAssemblies(IReadOnlyList<string> Paths, string? RunSettings, string? ProjectOnlyBecause)
{
    /// <summary>A project whose tests run only through <c>dotnet test &lt;project&gt;</c>, for <paramref name="reason"/>.</summary>
    public static TestAssemblies ProjectOnly(string reason) => new([], null, reason);
}
