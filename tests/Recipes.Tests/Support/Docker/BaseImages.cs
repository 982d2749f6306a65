using System.Runtime.InteropServices;
using Recipes.Tests.EndToEnd;

namespace Recipes.Tests.Support.Docker;

/// <summary>
/// The base image's root filesystem as a tarball: Debian minbase from debootstrap with this machine's .NET and
/// ASP.NET Core runtimes copied in. Made once per machine (minutes) and kept under /var/tmp, since no image can
/// be pulled from outside and every run needs the same base.
/// </summary>
internal static class BaseImages
{
    private const string CacheFolder = "/var/tmp/recipes-tests/base-images";

    // libicu and libssl are what the ASP.NET Core runtime loads at start-up; ca-certificates for HTTPS clients.
    private const string ExtraPackages = "libicu72,libssl3,ca-certificates,tzdata";

    /// <summary>The .NET runtime version the tests run on, which the image carries.</summary>
    public static string RuntimeVersion() => Path.GetFileName(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));

    /// <summary>The tarball's path, made first when this machine has none for this runtime.</summary>
    public static string EnsureTarball()
    {
        Directory.CreateDirectory(CacheFolder);
        var tarball = Path.Combine(CacheFolder, $"{Suite()}-minbase-dotnet-{RuntimeVersion()}.tar");

        // Another test run on this machine may be making the same tarball: one makes it, the other waits.
        using var gate = Lock(tarball + ".lock");
        if (!File.Exists(tarball))
        {
            Make(tarball);
        }

        return tarball;
    }

    private static void Make(string tarball)
    {
        var rootfs = Directory.CreateDirectory(tarball + ".rootfs").FullName;
        try
        {
            Run(TimeSpan.FromMinutes(20), "debootstrap", "--variant=minbase", $"--include={ExtraPackages}", Suite(), rootfs, "http://deb.debian.org/debian");
            var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
            var target = Path.Combine(rootfs, "usr", "share", "dotnet");
            Directory.CreateDirectory(Path.Combine(target, "shared", "Microsoft.NETCore.App"));
            Directory.CreateDirectory(Path.Combine(target, "shared", "Microsoft.AspNetCore.App"));
            Run(TimeSpan.FromMinutes(2), "cp", "-a", Path.Combine(dotnetRoot, "dotnet"), Path.Combine(dotnetRoot, "host"), target);
            Run(TimeSpan.FromMinutes(2), "cp", "-a", RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'), Path.Combine(target, "shared", "Microsoft.NETCore.App"));
            Run(TimeSpan.FromMinutes(2), "cp", "-a", AspNetCoreRuntime(dotnetRoot), Path.Combine(target, "shared", "Microsoft.AspNetCore.App"));
            File.CreateSymbolicLink(Path.Combine(rootfs, "usr", "bin", "dotnet"), "/usr/share/dotnet/dotnet");
            foreach (var cache in new[] { "var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man" })
            {
                Directory.Delete(Path.Combine(rootfs, cache), recursive: true);
            }

            var partial = tarball + ".partial";
            Run(TimeSpan.FromMinutes(5), "tar", "--numeric-owner", "-C", rootfs, "-cf", partial, ".");
            File.Move(partial, tarball, overwrite: true);
        }
        finally
        {
            Folders.Remove(rootfs);
        }
    }

    private static string AspNetCoreRuntime(string dotnetRoot)
    {
        var version = new Version(RuntimeVersion());
        var folder = Path.Combine(dotnetRoot, "shared", "Microsoft.AspNetCore.App");
        return Directory.GetDirectories(folder)
            .Where(path => Version.TryParse(Path.GetFileName(path), out var found) && found.Major == version.Major && found.Minor == version.Minor)
            .OrderByDescending(path => new Version(Path.GetFileName(path)))
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"{folder} has no ASP.NET Core runtime {version.Major}.{version.Minor}; the base image needs one.");
    }

    private static string Suite() =>
        File.ReadLines("/etc/os-release").Select(line => line.Split('=', 2)).Where(pair => pair[0] == "VERSION_CODENAME")
            .Select(pair => pair[1].Trim('"')).FirstOrDefault() ?? "bookworm";

    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1000);
            }
        }
    }

    private static void Run(TimeSpan timeout, string command, params string[] arguments)
    {
        var result = ProcessRunner.Run(command, arguments, "/", timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed with exit code {result.ExitCode}:\n{result.All}");
        }
    }
}
