using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Support;

/// <summary>
/// A program that Debian packages and the tests drive for real (promtool, chromium): taken from PATH, installed with
/// apt-get when missing, once per test run.
/// </summary>
internal static class DebianPackage
{
    private static readonly Lock Gate = new();

    /// <summary>The full path of <paramref name="program"/>, installing <paramref name="package"/> first when it is not on PATH.</summary>
    public static string Program(string program, string package)
    {
        lock (Gate)
        {
            if (OnPath(program) is { } found)
            {
                return found;
            }

            foreach (var arguments in new[] { new[] { "-o", "DPkg::Lock::Timeout=600", "update", "-qq" }, ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends", package] })
            {
                var run = ProcessRunner.Run("apt-get", arguments, Path.GetTempPath(), TimeSpan.FromMinutes(15), new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
                run.ExitCode.ShouldBe(0, $"apt-get {string.Join(' ', arguments)} failed; install {package} by hand:\n{run.All}");
            }

            return OnPath(program) ?? throw new InvalidOperationException($"apt-get installed {package}, but {program} is still not on PATH.");
        }
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
