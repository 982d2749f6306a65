namespace Recipes.Discovery;

/// <summary>Finds the solution file the pipeline builds.</summary>
public static class SolutionLocator
{
    /// <summary>The setting that names the solution, for messages that say how to choose one.</summary>
    internal const string SettingHint = "set \"solution\" in recipes.json (or pass --solution=PATH)";

    private static readonly string[] SolutionExtensions = [".sln", ".slnx"];

    /// <summary>
    /// Folders never searched below the root: build output, tools' state and dependencies, where a solution is a copy
    /// or belongs to someone else.
    /// </summary>
    private static readonly HashSet<string> SkippedFolders = new(["bin", "obj", "node_modules", "artifacts"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the absolute path of the solution to build: <paramref name="configured"/> when given, otherwise the
    /// only <c>*.sln</c> or <c>*.slnx</c> file in <paramref name="directory"/> itself or, when it has none, the only one
    /// below it (build output, dependency and dot folders such as <c>.git</c> are skipped).
    /// </summary>
    /// <param name="directory">The folder to look in, usually the repository root.</param>
    /// <param name="configured">
    /// A solution file, or a folder to look in, relative to <paramref name="directory"/> (or absolute); <see langword="null"/>
    /// or empty to find the solution.
    /// </param>
    /// <exception cref="SolutionNotFoundException">
    /// There is no solution, there are several and none is configured, or the configured one does not exist.
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

        var search = Search(folder);
        return search.Found.Count switch
        {
            1 => search.Found[0],
            0 => throw new SolutionNotFoundException(
                $"No solution (*.sln, *.slnx) in {folder} or below it; create one, or {SettingHint} to name one elsewhere."),
            _ => throw new SolutionNotFoundException(Several(folder, search)),
        };
    }

    /// <summary>
    /// The solutions in <paramref name="folder"/> itself or, when it has none, every one below it, in path order.
    /// </summary>
    internal static SolutionSearch Search(string folder)
    {
        var atRoot = SolutionsIn(folder);
        return atRoot.Count > 0 ? new(atRoot, BelowRoot: false) : new(SolutionsBelow(folder), BelowRoot: true);
    }

    /// <summary>One line that lists the solutions found and says how to choose one.</summary>
    internal static string Several(string folder, SolutionSearch search)
    {
        var names = string.Join(", ", search.Found.Select(path => Path.GetRelativePath(folder, path)));
        var where = search.BelowRoot ? $"below {folder} (none at its root)" : $"in {folder}";
        return $"{search.Found.Count} solutions {where}: {names}; {SettingHint} to choose one.";
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

    private static List<string> SolutionsBelow(string root)
    {
        var found = new List<string>();
        var pending = new Stack<string>(Subfolders(root));
        while (pending.TryPop(out var folder))
        {
            found.AddRange(SolutionsIn(folder));
            foreach (var subfolder in Subfolders(folder))
            {
                pending.Push(subfolder);
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// The folders worth searching: not skipped by name, not hidden (.git, .build, .vs, the deployment state), and not
    /// links, which could lead out of the repository or round in a loop.
    /// </summary>
    private static IEnumerable<string> Subfolders(string folder) =>
        new DirectoryInfo(folder)
            .EnumerateDirectories("*", new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Where(directory => !directory.Name.StartsWith('.') && !SkippedFolders.Contains(directory.Name))
            .Select(directory => directory.FullName);
}

/// <summary>What a search for solutions found, and whether it had to look below the root because the root had none.</summary>
internal sealed record SolutionSearch(IReadOnlyList<string> Found, bool BelowRoot);
