using System.Diagnostics;

namespace Recipes.Deployment.Local;

/// <summary>
/// Keeps a release folder read-only for its app even when the app runs as root, where mode bits stop no write: on
/// Linux as root, the app starts in a private mount namespace (<c>unshare --mount</c>) where its release folder is
/// bind-mounted read-only over itself. The namespace dies with the app, so no mount is ever left on the host, and a
/// restart by the supervisor gets a namespace of its own. Not root: the folder's 0500/0400 modes already hold.
/// </summary>
internal static class ReadOnlyReleaseMount
{
    /// <summary>Exit code of the wrapper when the mount fails, so the log and the deployment say why the app did not start.</summary>
    private const int MountFailed = 97;

    // $1 is the release folder; the rest is the program and its arguments, exec'd so the app keeps the pid.
    private static readonly string MountThenRun = $$"""
        folder="$1"; shift
        if ! mount --bind "$folder" "$folder" || ! mount -o remount,ro,bind "$folder"; then
          echo "recipes: could not mount the release folder $folder read-only; not starting the app" >&2
          exit {{MountFailed}}
        fi
        exec "$@"
        """;

    private static readonly Lazy<Availability> Probed = new(Probe);

    /// <summary>
    /// Whether releases need the mount to stay read-only (running as root on Unix) but cannot have it, and why;
    /// null when they are read-only either way.
    /// </summary>
    public static string? Unavailable => Probed.Value.Unavailable;

    /// <summary>
    /// The command that runs <paramref name="command"/> (a program and its arguments) with <paramref name="releaseFolder"/>
    /// mounted read-only for it, or the command itself where no mount is needed or possible.
    /// </summary>
    public static (string Program, IReadOnlyList<string> Arguments) Wrap((string Program, IReadOnlyList<string> Arguments) command, string releaseFolder)
    {
        var (program, arguments) = command;
        if (Probed.Value.Unshare is not { } unshare)
        {
            return (program, arguments);
        }

        return (unshare, ["--mount", "--propagation", "private", "/bin/sh", "-c", MountThenRun, "sh", releaseFolder, program, .. arguments]);
    }

    private static Availability Probe()
    {
        if (!OperatingSystem.IsLinux() || !System.Environment.IsPrivilegedProcess)
        {
            return new Availability(null, null);
        }

        var unshare = FindOnPath("unshare");
        if (unshare is null || FindOnPath("mount") is null)
        {
            return new Availability(null, "unshare or mount is not on the PATH");
        }

        // Tries what each start will do, on a folder of its own, and checks that a write is then refused.
        var folder = Directory.CreateTempSubdirectory("recipes-mount-probe-").FullName;
        try
        {
            var start = new ProcessStartInfo(unshare) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "--mount", "--propagation", "private", "/bin/sh", "-c", MountThenRun, "sh", folder, "/bin/sh", "-c", "! touch \"$1/probe\" 2>/dev/null", "sh", folder })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0
                ? new Availability(unshare, null)
                : new Availability(null, $"a private mount namespace could not be made ({(process.ExitCode == MountFailed ? "mount refused" : error.Trim())})");
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            return new Availability(null, $"unshare could not run ({e.Message})");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? FindOnPath(string name) => ProgramsOnPath.Find(name, System.Environment.GetEnvironmentVariable("PATH"));

    /// <param name="Unshare">The unshare program to wrap each start in, or null when none is needed or possible.</param>
    /// <param name="Unavailable">Why a release running as root could write into its folder, or null.</param>
    private sealed record Availability(string? Unshare, string? Unavailable);
}
