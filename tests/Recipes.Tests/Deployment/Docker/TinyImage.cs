using System.Diagnostics;
using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Recipes.Deployment.Docker;

namespace Recipes.Tests.Deployment.Docker;

/// <summary>
/// A minimal image made from this machine's /bin/sh and sleep with their libraries, imported into the engine and
/// pushed to the test registry: enough to test the engine's container calls without any image from outside.
/// </summary>
internal static class TinyImage
{
    private static readonly string[] Programs = ["/bin/sh", "/bin/sleep", "/bin/cat"];

    /// <summary>Pushes the tiny image as <paramref name="repository"/>:<paramref name="tag"/>, with a marker file that makes its content unique; returns its digest.</summary>
    public static Task<string> PushAsync(DockerClient client, string repository, string tag, string marker) =>
        PushAsync(client, repository, tag, Programs, [], [], marker);

    /// <summary>
    /// Pushes an image of <paramref name="programs"/> (with the libraries they link), each host folder of
    /// <paramref name="folders"/> at its image path, and <paramref name="changes"/> (Dockerfile lines such as
    /// <c>ENV A=b</c> or <c>CMD [...]</c>); returns its digest.
    /// </summary>
    /// <remarks>
    /// Image paths are chosen, not the host's: a checkout under /tmp would otherwise put the app under the tmpfs the
    /// docker target mounts on /tmp, which hides it.
    /// </remarks>
    public static async Task<string> PushAsync(
        DockerClient client, string repository, string tag, IEnumerable<string> programs, IEnumerable<(string Host, string Image)> folders, IList<string> changes, string marker)
    {
        var files = programs.ToList();
        var placed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (host, image) in folders)
        {
            foreach (var file in Directory.EnumerateFiles(host, "*", SearchOption.AllDirectories))
            {
                placed[file] = image.TrimEnd('/') + "/" + Path.GetRelativePath(host, file);
            }
        }

        files.AddRange(placed.Keys);
        using var rootfs = new MemoryStream();
        await using (var writer = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in files.Concat(files.Where(IsElf).SelectMany(Libraries)).Distinct())
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, placed.GetValueOrDefault(file, file).TrimStart('/'))
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                    DataStream = File.OpenRead(new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file),
                };
                await writer.WriteEntryAsync(entry);
            }

            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp") { Mode = (UnixFileMode)0x3FF });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "marker") { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(marker)) });
        }

        rootfs.Position = 0;
        var parameters = new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag, Changes = changes };
        await client.Images.CreateImageAsync(parameters, rootfs, new AuthConfig(), new Progress<JSONMessage>());
        await client.Images.PushImageAsync($"{repository}:{tag}", new ImagePushParameters { Tag = tag }, new AuthConfig(), new Progress<JSONMessage>());
        using var http = new HttpClient();
        return await new RegistryTags(http).ResolveAsync(repository, tag, CancellationToken.None);
    }

    private static bool IsElf(string file)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(file);
        return stream.Read(magic) == 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']);
    }

    private static IEnumerable<string> Libraries(string program)
    {
        using var ldd = Process.Start(new ProcessStartInfo("ldd", program) { RedirectStandardOutput = true })!;
        var output = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        foreach (var line in output.Split('\n'))
        {
            var path = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(part => part.StartsWith('/'));
            if (path is not null)
            {
                yield return path;
            }
        }
    }
}
