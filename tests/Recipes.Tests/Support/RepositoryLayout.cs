namespace Recipes.Tests.Support;

/// <summary>Finds this repository's root from the test's output folder.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Recipes.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Recipes.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Copies the files a fresh clone has (no bin, obj or .build) of the given top-level entries into <paramref name="target"/>.</summary>
    public static void CopyTo(string target, params string[] entries)
    {
        foreach (var entry in entries)
        {
            var source = Path.Combine(Root, entry);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(target, entry), overwrite: true);
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Root, file);
                var parts = relative.Split(Path.DirectorySeparatorChar);
                if (parts.Any(p => p is "bin" or "obj" or ".build" or "TestResults"))
                {
                    continue;
                }

                var destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination, overwrite: true);
            }
        }
    }

    /// <summary>Copies a folder without build output, keeping file times so that a warm bootstrapper stays warm.</summary>
    public static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or ".build" or "artifacts"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
            File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(file));
        }
    }
}
