namespace Recipes.Discovery;

/// <summary>Finds the solution file the pipeline builds.</summary>
public static class SolutionLocator
{
    private static readonly string[] SolutionExtensions = [".sln", ".slnx"];

    /// <summary>
    /// Returns the absolute path of the solution to build: <paramref name="configured"/> when given, otherwise the
    /// only <c>*.sln</c> or <c>*.slnx</c> file in <paramref name="directory"/> itself (subfolders are not searched).
    /// </summary>
    /// <param name="directory">The folder to look in, usually the repository root.</param>
    /// <param name="configured">
    /// A solution file, or a folder to look in, relative to <paramref name="directory"/> (or absolute); <see langword="null"/>
    /// or empty to find the solution.
    /// </param>
    /// <exception cref="SolutionNotFoundException">
    /// The folder has no solution, has several and none is configured, or the configured one does not exist.
    /// </exception>
    public static string Find(string directory, string? configured)
    {
        var folder = Path.GetFullPath(directory);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return FindConfigured(folder, configured);
        }

        if (!Directory.Exists(folder))
        {
            throw new SolutionNotFoundException($"Cannot look for a solution in {folder}: the folder does not exist.");
        }

        var solutions = SolutionsIn(folder);
        return solutions.Count switch
        {
            1 => solutions[0],
            0 => throw new SolutionNotFoundException(
                $"No solution (*.sln, *.slnx) in {folder}; pass --solution=PATH to name one elsewhere."),
            _ => throw new SolutionNotFoundException(
                $"{solutions.Count} solutions in {folder} ({string.Join(", ", solutions.Select(Path.GetFileName))}); " +
                "pass --solution=PATH to choose one."),
        };
    }

    private static string FindConfigured(string folder, string configured)
    {
        var path = Path.GetFullPath(configured, folder);
        if (File.Exists(path))
        {
            return path;
        }

        // --solution=src is as natural as --solution=src/App.sln when src holds one solution.
        if (Directory.Exists(path))
        {
            return Find(path, configured: null);
        }

        throw new SolutionNotFoundException(
            $"The configured solution '{configured}' does not exist in {folder} (looked for {path}).");
    }

    private static List<string> SolutionsIn(string folder) =>
        // Filter by extension ourselves: a "*.sln" search pattern also matches ".slnx" on Windows (8.3 names).
        Directory.EnumerateFiles(folder)
            .Where(file => SolutionExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
}
