using System.Security;

namespace Recipes.Testing;

/// <summary>
/// The consumer project of <see cref="PublishedPackageSmokeCheck"/>: a console program that references one package by
/// exact version and, given the file names of the package's assemblies, loads each from its output folder with all
/// its types. It shuts out the repository's Directory.Build and central package files, so it is what any consumer writes.
/// </summary>
internal static class SmokeConsumer
{
    public const string ProjectFile = "SmokeCheck.csproj";

    public const string AssemblyFile = "SmokeCheck.dll";

    /// <summary>Writes the project into <paramref name="folder"/>.</summary>
    public static void Write(string folder, string id, string version, string framework)
    {
        // Empty files here stop MSBuild's search upward, so the repository's settings do not reach the consumer.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, ProjectFile), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{framework}</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{SecurityElement.Escape(id)}" Version="[{SecurityElement.Escape(version)}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), Program);
    }

    // Loading with every type is what finds a missing dependency or a damaged assembly; the first loader error is the line shown.
    private const string Program = """
        using System.Reflection;

        var loaded = 0;
        foreach (var file in args)
        {
            try
            {
                var assembly = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, file));
                _ = assembly.GetTypes();
                _ = assembly.GetExportedTypes();
                loaded++;
            }
            catch (ReflectionTypeLoadException ex)
            {
                var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
                Console.Error.WriteLine($"{file}: {(first ?? ex).GetType().Name}: {FirstLine((first ?? ex).Message)}");
                return 1;
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"{file}: {ex.GetType().Name}: {FirstLine(ex.Message)}");
                return 1;
            }
        }

        Console.WriteLine($"{loaded} assembl{(loaded == 1 ? "y" : "ies")} loaded");
        return 0;

        static string FirstLine(string text) => text.Split('\n')[0].Trim();
        """;
}
