using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Support;

/// <summary>
/// Debian packages a test needs (an engine, a registry, a browser): installed with apt-get when the command is
/// missing, once per test run, so that <c>dotnet test</c> on a fresh machine brings what it tests against.
/// </summary>
internal static class DebianPackages
{
    private static readonly object Gate = new();
    private static bool _indexUpdated;

    /// <summary>The full path of <paramref name="command"/>, installing <paramref name="package"/> first when it is not on PATH.</summary>
    /// <exception cref="InvalidOperationException">apt-get is missing or failed; the message carries its output.</exception>
    public static string Require(string command, string package)
    {
        lock (Gate)
        {
            if (Find(command) is { } found)
            {
                return found;
            }

            if (Find("apt-get") is null)
            {
                throw new InvalidOperationException($"'{command}' is not on PATH and this machine has no apt-get to install Debian's '{package}'; install it by hand.");
            }

            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            if (!_indexUpdated)
            {
                Run(["update", "-qq"], environment, package);
                _indexUpdated = true;
            }

            Run(["install", "-y", "-qq", "--no-install-recommends", package], environment, package);
            return Find(command) ?? throw new InvalidOperationException($"apt-get installed '{package}' but '{command}' is still not on PATH.");
        }
    }

    /// <summary>The full path of <paramref name="command"/> on PATH (or in the sbin folders root's PATH has), or null.</summary>
    public static string? Find(string command)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"]);
        return folders.Select(folder => Path.Combine(folder, command)).FirstOrDefault(File.Exists);
    }

    private static void Run(string[] arguments, Dictionary<string, string> environment, string package)
    {
        var result = ProcessRunner.Run("apt-get", arguments, "/", TimeSpan.FromMinutes(10), environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"apt-get {string.Join(' ', arguments)} (for '{package}') failed with exit code {result.ExitCode}:\n{result.All}");
        }
    }
}
