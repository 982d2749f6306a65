namespace Recipes.Versioning;

/// <summary>
/// The version of one commit, computed once per run by <see cref="GitVersionCalculator"/> and stamped on every
/// assembly and package the run produces.
/// </summary>
/// <remarks>
/// Without a GitVersion configuration in the repository every commit on every branch gets its own, higher
/// pre-release version (<c>1.2.1-ci.5</c> on main, <c>1.2.1-foo.7</c> on <c>feature/foo</c>); a <c>v1.2.0</c> tag on
/// the commit makes it the release <c>1.2.0</c>.
/// </remarks>
/// <param name="SemVer">The package version, e.g. <c>1.2.1-ci.5</c> or <c>1.0.0</c>; what NuGet packages get.</param>
/// <param name="AssemblyVersion">The assembly version, e.g. <c>1.2.0.0</c> (GitVersion's AssemblySemVer).</param>
/// <param name="FileVersion">The file version, e.g. <c>1.2.1.0</c> (GitVersion's AssemblySemFileVer).</param>
/// <param name="InformationalVersion">
/// The product version with the full commit SHA, e.g. <c>1.2.1-ci.5+Branch.main.Sha.&lt;sha&gt;</c>.
/// </param>
/// <param name="Sha">The full SHA of the commit.</param>
/// <param name="Branch">The branch name, or <c>(no branch)</c> when HEAD is detached.</param>
/// <param name="IsRelease">True when <paramref name="SemVer"/> has no pre-release part.</param>
/// <param name="CommitDate">When the commit was made (committer date), if git could tell.</param>
public sealed record BuildVersion(
    string SemVer,
    string AssemblyVersion,
    string FileVersion,
    string InformationalVersion,
    string Sha,
    string Branch,
    bool IsRelease,
    DateTimeOffset? CommitDate);
