using Recipes.Discovery;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Removes what an earlier build of the configuration left in the solution's projects (bin/Release, obj/Release, or
/// the artifacts layout's release_* folders), so that Compile builds and Package packs what a clean clone of the
/// commit gives. Restore's files (obj/project.assets.json) stay, so restore stays incremental.
/// </summary>
/// <remarks>
/// An incremental build skips the compiler when its outputs look newer than its inputs, and then copies whatever the
/// shared files hold: a DocumentationFile that two target frameworks write is packed with the last one's content
/// for both, and the re-run's package no longer matches the one already published for this commit.
/// </remarks>
internal static class PreviousBuildOutputs
{
    /// <summary>
    /// Deletes the <paramref name="configuration"/> folders of <paramref name="projects"/> found under their build
    /// output roots, only inside <paramref name="repositoryRoot"/>, and returns them.
    /// </summary>
    /// <exception cref="RecipeException">A folder could not be deleted (a program holds a file in it).</exception>
    public static IReadOnlyList<string> Remove(IEnumerable<DiscoveredProject> projects, string configuration, string repositoryRoot)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot)) + Path.DirectorySeparatorChar;
        var removed = new List<string>();
        foreach (var project in projects)
        {
            var projectDirectory = Path.GetDirectoryName(project.Path)!;
            foreach (var folder in FoldersOf(project, projectDirectory, configuration).Where(f => IsSafeToDelete(f, root, projectDirectory)))
            {
                Delete(folder, project);
                removed.Add(folder);
            }
        }

        return removed;
    }

    /// <summary>
    /// What a build of <paramref name="configuration"/> leaves that later stages use (the folders <see cref="Remove"/>
    /// removes, and restore's files at the top of each output root), for the stage cache to keep.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<DiscoveredProject> projects, string configuration, string repositoryRoot)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot)) + Path.DirectorySeparatorChar;
        var outputs = new List<string>();
        foreach (var project in projects)
        {
            var projectDirectory = Path.GetDirectoryName(project.Path)!;
            outputs.AddRange(FoldersOf(project, projectDirectory, configuration).Where(f => IsSafeToDelete(f, root, projectDirectory)));
            outputs.AddRange(RootsOf(project, projectDirectory).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles)
                .Where(f => (Path.GetFullPath(f)).StartsWith(root, StringComparison.Ordinal)));
        }

        return [.. outputs.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Existing subfolders of the output roots named for the configuration: <c>Release</c> in the classic layout,
    /// <c>release</c> or <c>release_net10.0</c> in the artifacts layout (UseArtifactsOutput).
    /// </summary>
    private static IEnumerable<string> FoldersOf(DiscoveredProject project, string projectDirectory, string configuration)
    {
        return RootsOf(project, projectDirectory)
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(folder => Path.GetFileName(folder) is var name
                && (name.Equals(configuration, StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith(configuration + "_", StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<string> RootsOf(DiscoveredProject project, string projectDirectory) =>
        project.BuildOutputRoots.Count > 0
            ? project.BuildOutputRoots
            : [Path.Combine(projectDirectory, "bin"), Path.Combine(projectDirectory, "obj")];

    /// <summary>
    /// Only inside the repository, and never a folder that holds the project itself or the running build program
    /// (a team whose build/ project is in the solution and runs from its bin/Release).
    /// </summary>
    private static bool IsSafeToDelete(string folder, string repositoryRoot, string projectDirectory)
    {
        static string AsFolder(string path) => Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar;
        var inside = AsFolder(folder);
        return inside.StartsWith(repositoryRoot, StringComparison.Ordinal)
            && inside.Length > repositoryRoot.Length
            && !AsFolder(projectDirectory).StartsWith(inside, StringComparison.Ordinal)
            && !AsFolder(AppContext.BaseDirectory).StartsWith(inside, StringComparison.Ordinal);
    }

    private static void Delete(string folder, DiscoveredProject project)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException(
                $"Cannot remove {folder}, the previous build's output of {project.Name} ({e.Message}); " +
                "stop the program that holds a file in it (a running app, an IDE's build) and run again", e);
        }
    }
}
