namespace Recipes.Tests.EndToEnd;

/// <summary>
/// PowerShell for testing build.ps1: pwsh from PATH when there is one, else the PowerShell dotnet tool,
/// installed once from the NuGet feed into .build/tools.
/// </summary>
internal static class PowerShell
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    private static string Locate()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, "pwsh"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        var toolPath = System.IO.Path.Combine(RepositoryLayout.Root, ".build", "tools");
        var pwsh = System.IO.Path.Combine(toolPath, "pwsh");
        if (!File.Exists(pwsh))
        {
            var install = ProcessRunner.Run(
                "dotnet", ["tool", "install", "PowerShell", "--version", "7.6.9", "--tool-path", toolPath],
                RepositoryLayout.Root, TimeSpan.FromMinutes(5));
            if (install.ExitCode != 0 || !File.Exists(pwsh))
            {
                throw new InvalidOperationException($"Could not install PowerShell 7.6.9 as a dotnet tool:\n{install.All}");
            }
        }

        return pwsh;
    }
}
