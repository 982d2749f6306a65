namespace Recipes;

/// <summary>Finds a program the way a shell does: the first folder of PATH that holds a file of that name.</summary>
internal static class ProgramsOnPath
{
    /// <summary>The full path of <paramref name="name"/> in the first folder of <paramref name="path"/> (a PATH value) that has it, or null.</summary>
    public static string? Find(string name, string? path) =>
        (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
