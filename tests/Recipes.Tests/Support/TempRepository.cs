namespace Recipes.Tests.Support;

/// <summary>
/// A throwaway repository in the temp folder for discovery tests. Its root Directory.Build.props (and targets) stop
/// MSBuild's upward search, so nothing from the folders above it, this repository included, leaks into evaluation.
/// </summary>
internal sealed class TempRepository : IDisposable
{
    public TempRepository()
    {
        Root = Directory.CreateTempSubdirectory("recipes-discovery-").FullName;
        Write("Directory.Build.props", "<Project></Project>");
        Write("Directory.Build.targets", "<Project></Project>");
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="content"/> to a file below the root and returns its absolute path.</summary>
    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes an SDK-style project file with the given SDK, properties and items.</summary>
    public string Project(string relativePath, string properties = "", string items = "", string sdk = "Microsoft.NET.Sdk") =>
        Write(relativePath, $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
            </Project>
            """);

    /// <summary>Writes an .slnx that puts each project in a solution folder named after its top folder, as IDEs do.</summary>
    public string Slnx(string name, IEnumerable<string> projectPaths)
    {
        var folders = projectPaths
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .GroupBy(relative => relative.Split('/')[0])
            .Select(folder => $"""
                  <Folder Name="/{folder.Key}/">
                {string.Join(Environment.NewLine, folder.Select(p => $"    <Project Path=\"{p}\" />"))}
                  </Folder>
                """);
        return Write(name, $"""
            <Solution>
            {string.Join(Environment.NewLine, folders)}
            </Solution>
            """);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
