using System.Globalization;
using System.Text;
using Recipes.Deployment.Local;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// The releases of one host of a hosts environment, under its path: <c>releases/&lt;id&gt;-&lt;version&gt;-&lt;short
/// digest&gt;-&lt;time&gt;/</c> (read-only once unpacked), and two slots, <c>slots/blue</c> and <c>slots/green</c>, each
/// with the release's environment file (config and secrets, 0600), its log and the pids of the supervisor that runs it.
/// </summary>
internal sealed partial class HostReleases(SshSession session)
{
    private const string TimestampFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    public HostEntry Host => session.Host;

    private string Root => session.Host.Path;

    /// <summary>
    /// Uploads the package once to a fresh folder, has the host check its SHA-512 with <c>sha512sum</c> before anything
    /// is unpacked, unpacks its app files there and makes the folder read-only.
    /// </summary>
    /// <returns>The release folder on the host.</returns>
    /// <exception cref="RecipeException">The host lacks a tool, or the bytes it received are not the manifest's.</exception>
    public async Task<string> UploadAsync(DownloadedPackage package, string id, string digest, CancellationToken cancellationToken)
    {
        var entryPoint = EntryPointIn(package, id);
        await session.RunOrFailAsync(
            $"mkdir -p {Quote(Root)}/releases {Quote(Root)}/slots && chmod 700 {Quote(Root)}/slots && command -v sha512sum && command -v unzip && command -v setsid",
            "checking for sha512sum, unzip and setsid (install coreutils, unzip and util-linux)", cancellationToken);
        var folder = $"{Root}/releases/{id}-{package.Version}-{digest[..12]}-{DateTime.UtcNow.ToString(TimestampFormat, CultureInfo.InvariantCulture)}";
        var upload = $"{Root}/releases/.upload-{Guid.NewGuid():N}.nupkg";
        await using (var content = File.OpenRead(package.Path))
        {
            await session.UploadAsync(content, upload, 600, cancellationToken);
        }

        var (status, output) = await session.RunAsync($"echo {Quote($"{digest}  {upload}")} | sha512sum -c --quiet -", cancellationToken);
        if (status != 0)
        {
            await session.RunAsync($"rm -f {Quote(upload)}", CancellationToken.None);
            throw new RecipeException($"Host {Host.Name}: the package it received does not have the manifest's SHA-512 {digest[..12]}… ({output.Trim()}); nothing was started there.");
        }

        var staging = folder + ".staging";
        await session.RunOrFailAsync(
            // A package keeps no file modes: a Native AOT app's executable is made one again before the folder is sealed.
            $"mkdir {Quote(staging)} && unzip -q {Quote(upload)} 'app/*' -d {Quote(staging)} && rm -f {Quote(upload)} && " +
            (NativeExecutables.IsNative(entryPoint) ? $"chmod a+x {Quote($"{staging}/app/{entryPoint}")} && " : string.Empty) +
            $"chmod -R a-w {Quote(staging)} && mv {Quote(staging)} {Quote(folder)}",
            $"unpacking {id} {package.Version}", cancellationToken);
        return folder;
    }

    /// <summary>The newest release folder of <paramref name="id"/> <paramref name="version"/> with <paramref name="digest"/> kept on the host, or null.</summary>
    public async Task<string?> FindKeptAsync(string id, string version, string digest, CancellationToken cancellationToken)
    {
        var (_, output) = await session.RunAsync($"ls -d {Quote(Root)}/releases/{Quote($"{id}-{version}-{digest[..12]}-")}* 2>/dev/null | grep -v '\\.staging$' | tail -n 1", cancellationToken);
        return output.Length > 0 && output.StartsWith('/') ? output.Trim() : null;
    }

    /// <summary>
    /// Starts the release in <paramref name="folder"/> in <paramref name="slot"/> on the host's address and
    /// <paramref name="port"/> under the uploaded supervisor, started with setsid so that it outlives the SSH session.
    /// </summary>
    public async Task StartAsync(string slot, string folder, string id, int port, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        await StopAsync(slot, cancellationToken);
        var slotFolder = SlotFolder(slot);
        await session.RunOrFailAsync($"mkdir -p {Quote(slotFolder)} && chmod 700 {Quote(slotFolder)}", "creating the slot folder", cancellationToken);
        await UploadTextAsync($"{Root}/supervisor.sh", Supervision.Script, "700", cancellationToken);
        var environment = new Dictionary<string, string>(variables, StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = $"http://{Host.Address}:{port}",
        };
        await UploadTextAsync($"{slotFolder}/env", string.Concat(environment.Select(entry => $"{entry.Key}={Quote(entry.Value)}\n")), "600", cancellationToken);

        var entryPoint = $"{folder}/app/{await EntryPointOnHostAsync(folder, id, cancellationToken)}";
        // The app's process gets only its environment file (set -a exports what it sets); cwd is its folder. A dll
        // runs under dotnet, a native executable by itself.
        var app = "set -a; . \"$0\"; set +a; cd \"$(dirname \"$1\")\" && exec " + (NativeExecutables.IsNative(entryPoint) ? "\"$1\"" : "dotnet \"$1\"");
        await session.RunOrFailAsync(
            // The list before the supervisor is checked apart from it: with '&&', the '&' would put the whole list in a subshell that holds the session open.
            $"cd {Quote(slotFolder)} && rm -f app.pid armed && echo {Quote(folder)} > release || exit 1; " +
            $"setsid nohup sh {Quote(Root)}/supervisor.sh {Quote(slotFolder)}/log {Quote(slotFolder)}/app.pid {Quote(slotFolder)}/armed '--- recipes: started' " +
            $"env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp sh -c {Quote(app)} {Quote(slotFolder)}/env {Quote(entryPoint)} </dev/null >/dev/null 2>&1 & echo $! > supervisor.pid",
            "starting the release", cancellationToken);
    }

    /// <summary>Tells the slot's supervisor that the release passed its health check: from now on it restarts it when it dies.</summary>
    public Task ArmAsync(string slot, CancellationToken cancellationToken) =>
        session.RunOrFailAsync($"touch {Quote(SlotFolder(slot))}/armed", "arming the supervisor", cancellationToken);

    /// <summary>The last lines of the slot's log, for a failure message.</summary>
    public async Task<string> LogTailAsync(string slot, CancellationToken cancellationToken) =>
        (await session.RunAsync($"tail -n 5 {Quote(SlotFolder(slot))}/log 2>/dev/null | grep -v '^--- recipes' | tr '\\n' ' '", cancellationToken)).Output;

    /// <summary>Stops what runs in <paramref name="slot"/> (TERM to its supervisor, KILL after 10 s) and deletes its environment file.</summary>
    /// <remarks>A host that was lost is left as it is: the other hosts' slots still stop, and the loss is what the deployment reports.</remarks>
    public async Task StopAsync(string slot, CancellationToken cancellationToken)
    {
        try
        {
            await session.RunAsync(
                $"cd {Quote(SlotFolder(slot))} 2>/dev/null || exit 0; rm -f env armed; [ -f supervisor.pid ] || exit 0; pid=$(cat supervisor.pid); kill -TERM \"$pid\" 2>/dev/null; " +
                "i=0; while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL \"$pid\" 2>/dev/null; " +
                "[ -f app.pid ] && kill -KILL \"$(cat app.pid)\" 2>/dev/null; rm -f supervisor.pid; true",
                cancellationToken);
        }
        catch (RecipeException) when (!session.IsConnected)
        {
        }
    }

    /// <summary>Whether <paramref name="slot"/>'s supervisor runs, and the release folder it was started with.</summary>
    public async Task<(bool Running, string? Folder)> SlotAsync(string slot, CancellationToken cancellationToken)
    {
        var folder = SlotFolder(slot);
        var (_, output) = await session.RunAsync(
            $"cat {Quote(folder)}/release 2>/dev/null || echo; {RunningOrStopped(Quote(folder))}",
            cancellationToken);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        return (lines[^1] == "running", lines.Length > 1 && lines[0].Length > 0 ? lines[0] : null);
    }

    /// <summary>Whether each of <paramref name="slots"/>' supervisors runs, in order: one command for them all, as a watch asks every second.</summary>
    public async Task<IReadOnlyList<bool>> SlotsRunningAsync(IReadOnlyList<string> slots, CancellationToken cancellationToken)
    {
        var checks = slots.Select(slot => $"{{ {RunningOrStopped(Quote(SlotFolder(slot)))}; }}");
        var (_, output) = await session.RunAsync(string.Join("; ", checks), cancellationToken);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == slots.Count
            ? [.. lines.Select(line => line == "running")]
            : throw new RecipeException($"{Host.Name} answered {lines.Length} line(s) for {slots.Count} slot(s) asked about; check its shell ({output.Trim()})");
    }

    private string SlotFolder(string slot) => $"{Root}/slots/{slot}";

    /// <summary>The shell check that prints <c>running</c> when the slot folder's supervisor is alive, else <c>stopped</c>.</summary>
    private static string RunningOrStopped(string quotedSlotFolder) =>
        $"[ -f {quotedSlotFolder}/supervisor.pid ] && kill -0 \"$(cat {quotedSlotFolder}/supervisor.pid)\" 2>/dev/null && echo running || echo stopped";

    private async Task UploadTextAsync(string path, string text, string mode, CancellationToken cancellationToken)
    {
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await session.UploadAsync(content, path, short.Parse(mode, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>The entry point of the package's app, by the rule the local store uses (<see cref="AppEntryPoint"/>), read from the package before it is sent.</summary>
    /// <exception cref="RecipeException">The package holds none; nothing was sent.</exception>
    private string EntryPointIn(DownloadedPackage package, string id)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package.Path);
        var top = zip.Entries
            .Where(entry => entry.FullName.StartsWith(ReleaseStore.AppFolder, StringComparison.Ordinal) && entry.Name.Length > 0 && entry.FullName.Length == ReleaseStore.AppFolder.Length + entry.Name.Length)
            .ToDictionary(entry => entry.Name, StringComparer.Ordinal);
        return AppEntryPoint.Choose(id, top.Keys, name => StartsNative(top[name]), windows: false)
            ?? throw new RecipeException($"Host {Host.Name}: {id} {package.Version} has {AppEntryPoint.NoneFound(id, top.Keys)}; nothing was sent there.");

        static bool StartsNative(System.IO.Compression.ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            var magic = new byte[4];
            return stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && NativeExecutables.IsNativeMagic(magic);
        }
    }

    /// <summary>The entry point of the release in <paramref name="folder"/> on the host, by the same rule (see <see cref="AppListingCommand"/>).</summary>
    /// <exception cref="RecipeException">The folder holds none.</exception>
    private async Task<string> EntryPointOnHostAsync(string folder, string id, CancellationToken cancellationToken)
    {
        var magicByName = ParseAppListing(await session.RunOrFailAsync(AppListingCommand(folder), "listing the app's files", cancellationToken));
        return EntryPointInListing(id, magicByName)
            ?? throw new RecipeException($"Host {Host.Name}: {folder}/app has {AppEntryPoint.NoneFound(id, [.. magicByName.Keys])}.");
    }

    /// <summary>
    /// A shell command listing the top files of <paramref name="folder"/>/app, one <c>&lt;hex&gt;/&lt;name&gt;</c> line
    /// each, with the first four bytes in hex of those that may be a native executable and <c>-</c> for the rest
    /// (libraries, settings, hidden files: see <see cref="NativeExecutables.MayBeEntryPoint"/>), so a host reads a few
    /// bytes of a few files only.
    /// </summary>
    internal static string AppListingCommand(string folder)
    {
        var notEntryPoints = string.Join('|', NativeExecutables.NotEntryPoints.Select(ending => "*" + ending));
        return $"cd {Quote(folder)}/app && for f in * .[!.]*; do [ -f \"$f\" ] || continue; case \"$f\" in .*|{notEntryPoints}) m=-;; " +
            "*) m=$(head -c 4 -- \"$f\" | od -An -tx1 | tr -d ' \\n');; esac; printf '%s/%s\\n' \"$m\" \"$f\"; done";
    }

    /// <summary>The lines of <see cref="AppListingCommand"/>: each name with its first bytes in hex, or <c>-</c> (a name holds no '/').</summary>
    internal static IReadOnlyDictionary<string, string> ParseAppListing(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('/', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);

    /// <summary>The entry point among a listing's names, by <see cref="AppEntryPoint.Choose"/>; null when there is none.</summary>
    internal static string? EntryPointInListing(string id, IReadOnlyDictionary<string, string> magicByName) =>
        AppEntryPoint.Choose(
            id, [.. magicByName.Keys], name => magicByName[name] is { Length: >= 8 } hex && NativeExecutables.IsNativeMagic(Convert.FromHexString(hex[..8])), windows: false);

    /// <summary>A single-quoted sh word.</summary>
    internal static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
