// Times ProjectDiscovery on a six-project solution written to the temp folder, in this fresh process: the first
// Discover pays for registering the SDK and loading and JIT-compiling MSBuild, the second shows the steady cost.
// Prints one line of milliseconds; exits 1 when a project is misclassified, which also catches a wrong SDK when
// run.sh hands the process MSBuild variables that point nowhere.
using System.Diagnostics;
using Recipes.Discovery;

var root = Directory.CreateTempSubdirectory("recipes-discovery-bench-").FullName;
try
{
    var solution = SixProjectRepository.Write(root);
    var log = new List<string>();

    var cold = Stopwatch.StartNew();
    var projects = new ProjectDiscovery(log.Add).Discover(solution);
    cold.Stop();

    var warm = Stopwatch.StartNew();
    new ProjectDiscovery().Discover(solution);
    warm.Stop();

    var kinds = string.Join(", ", projects.Select(p => $"{p.Name}={p.Kind}{(p.Stage is { } s ? "/" + s : "")}"));
    Console.WriteLine($"first {cold.ElapsedMilliseconds} ms (register + discover), second {warm.ElapsedMilliseconds} ms; {log[0]}");
    if (kinds != SixProjectRepository.ExpectedKinds)
    {
        Console.Error.WriteLine($"Unexpected classification: {kinds}");
        return 1;
    }

    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
}

internal static class SixProjectRepository
{
    public const string ExpectedKinds =
        "Shop.Benchmarks=Other, Shop.Core=Library, Shop.Web=Deployable, Shop.Worker=Deployable, " +
        "Shop.Core.Tests=Test/Fast, Shop.Web.IntegrationTests=Test/Slow";

    /// <summary>Writes the repository and returns its .slnx.</summary>
    public static string Write(string root)
    {
        Write(root, "Directory.Build.props", "<Project></Project>");
        string[] projects =
        [
            Project(root, "src/Shop.Core", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>"),
            Project(root, "src/Shop.Web", "", sdk: "Microsoft.NET.Sdk.Web"),
            Project(root, "src/Shop.Worker", "", sdk: "Microsoft.NET.Sdk.Worker"),
            Project(root, "tests/Shop.Core.Tests", "", """<PackageReference Include="xunit" Version="2.9.3" />"""),
            Project(root, "tests/Shop.Web.IntegrationTests", "", """<PackageReference Include="NUnit" Version="4.4.0" />"""),
            Project(root, "benchmarks/Shop.Benchmarks", "<OutputType>Exe</OutputType>"),
        ];
        var entries = projects.Select(p => $"  <Project Path=\"{p}\" />");
        return Write(root, "Shop.slnx", $"<Solution>\n{string.Join("\n", entries)}\n</Solution>");
    }

    private static string Project(string root, string folder, string properties, string items = "", string sdk = "Microsoft.NET.Sdk")
    {
        var relative = $"{folder}/{Path.GetFileName(folder)}.csproj";
        Write(root, relative, $"""
            <Project Sdk="{sdk}">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework>{properties}</PropertyGroup>
              <ItemGroup>{items}</ItemGroup>
            </Project>
            """);
        return relative;
    }

    private static string Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
