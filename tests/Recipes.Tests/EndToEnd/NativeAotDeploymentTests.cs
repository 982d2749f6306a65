using System.IO.Compression;
using Recipes.Artifacts;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// A team's web app that sets <c>PublishAot</c> goes through the real pipeline of recipes/library: the commit stage
/// compiles it to a native executable for this machine (linking with gcc where clang is missing, as here), packs that
/// executable (and no runtimeconfig) as the deployable, publishes it; the smoke check names it; a deployment unpacks it,
/// runs the executable itself (not <c>dotnet</c>) behind the router; <c>Stop</c> leaves no process behind; and a
/// registry, whose images the pipeline cannot yet build for such an app, is refused in one line.
/// </summary>
[Trait("Category", "Slow")]
public sealed class NativeAotDeploymentTests : IDisposable
{
    private const string App = "Acme.Clock.Api";
    private const string EnvironmentName = "clock";

    private readonly SampleRepository _repo = new("library");

    [Fact]
    public async Task A_native_aot_web_app_is_packaged_as_its_native_executable_and_deployed_and_run_without_dotnet()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        AddNativeAotApp();
        var port = PublicPorts.Next();
        _repo.Write("environments.yml", $"""
            environments:
              - name: {EnvironmentName}
                artifact: {App}
                port: {port}
                strategy: {"{ kind: blue-green, grace-period: 0s }"}
                health: {"{ path: /health, timeout: 60s }"}

            """);
        _repo.Commit("Deploy the clock");

        // The commit stage: Package publishes the app Native AOT, Publish pushes it to the feed the deployment reads.
        var commit = _repo.Build("--target=CommitStage");

        commit.ExitCode.ShouldBe(0, commit.All);
        var manifest = ArtifactManifest.Read(Path.Combine(_repo.Repository, "artifacts", "manifest.json"));
        var entry = manifest.Artifacts.Single(a => a.Id == App);
        entry.Kind.ShouldBe("deployable");
        using (var package = ZipFile.OpenRead(Path.Combine(_repo.Repository, "artifacts", "packages", entry.File)))
        {
            var names = package.Entries.Select(e => e.FullName).ToList();
            var executable = package.GetEntry($"app/{App}");
            executable.ShouldNotBeNull($"the deployable holds the native executable: {string.Join(", ", names)}");
            using (var bytes = executable.Open())
            {
                var magic = new byte[4];
                bytes.ReadExactly(magic);
                magic.ShouldBe("\u007fELF"u8.ToArray(), "app/Acme.Clock.Api is an ELF executable");
            }

            names.ShouldNotContain(n => n.EndsWith(".runtimeconfig.json", StringComparison.OrdinalIgnoreCase), "a Native AOT app runs on no shared runtime");
            names.ShouldNotContain($"app/{App}.dll");
            names.ShouldNotContain($"app/{App}.dbg", "the symbols split off the executable stay in artifacts/publish");
            File.Exists(Path.Combine(_repo.Repository, "artifacts", "publish", App, $"{App}.dbg")).ShouldBeTrue("the publish wrote them; the package left them out");
        }

        var smoke = _repo.Build("--target=PackageSmokeCheck");

        smoke.ExitCode.ShouldBe(0, smoke.All);
        smoke.All.ShouldContain($"Smoke check {App} {entry.Version} (deployable): native executable {App} present (Native AOT)");

        var stopped = false;
        try
        {
            var deploy = _repo.Build("--target=Deploy", $"--environment={EnvironmentName}");

            deploy.ExitCode.ShouldBe(0, deploy.All);
            (await GetAsync(port, "/clock")).ShouldBe("tick", deploy.All);

            var slot = new ProcessSupervisor(Path.Combine(_repo.StateDirectory, "slots")).Status(EnvironmentName)
                .ShouldHaveSingleItem("the first deployment starts one slot");
            slot.State.ShouldBe(SlotState.Running);
            var pid = slot.Supervision?.ProgramPid;
            pid.ShouldNotBeNull($"the supervisor runs the app: {slot.Supervision}");
            var running = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            running.ShouldBe(slot.Process.Release.EntryAssembly, "the app's process is the release's native executable, not dotnet");
            Path.GetFileName(running).ShouldBe(App);
            Path.GetDirectoryName(running).ShouldBe(slot.Process.Release.Folder);
            slot.Process.Release.Folder.ShouldStartWith(Path.Combine(_repo.StateDirectory, "releases", EnvironmentName) + Path.DirectorySeparatorChar);
            File.Exists(Path.Combine(slot.Process.Release.Folder, $"{App}.runtimeconfig.json")).ShouldBeFalse();

            var stop = _repo.Build("--target=Stop");

            stop.ExitCode.ShouldBe(0, stop.All);
            stopped = true;
            (await ProcessesLeftAsync()).ShouldBeEmpty("Stop ends the release, its supervisor and the router");
            await Should.ThrowAsync<HttpRequestException>(() => GetAsync(port, "/clock"));
        }
        finally
        {
            if (!stopped)
            {
                _repo.Build("--target=Stop");
            }
        }

        // Images of a Native AOT app are not built yet: with a registry, one line names the app before anything is
        // packed (the registry, a closed port, is not even asked).
        var project = Path.Combine(_repo.Repository, "src", App, $"{App}.csproj");
        var images = _repo.Build("--target=CommitStage", $"--registry=127.0.0.1:{ClosedPort()}");

        PipelineErrors.ShouldFailWithOneLine(images, $"{App} ({project}) publishes Native AOT (PublishAot), and Recipes builds no container image of a Native AOT app without a Dockerfile yet")
            .ShouldContain("give it a Dockerfile beside the project, unset registry, or set PublishAot to false");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _repo.Dispose();

    /// <summary>Adds src/Acme.Clock.Api, a slim minimal API with PublishAot, to the sample's solution.</summary>
    private void AddNativeAotApp()
    {
        Directory.CreateDirectory(Path.Combine(_repo.Repository, "src", App));
        _repo.Write($"src/{App}/{App}.csproj", """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <PublishAot>true</PublishAot>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
            </Project>
            """);
        _repo.Write($"src/{App}/Program.cs", """
            var builder = WebApplication.CreateSlimBuilder(args);
            var app = builder.Build();
            app.MapGet("/health", () => Results.Text("healthy"));
            app.MapGet("/clock", () => "tick");
            app.Run();
            """);
        var added = ProcessRunner.Run("dotnet", ["sln", "add", $"src/{App}/{App}.csproj"], _repo.Repository, TimeSpan.FromMinutes(2), _repo.Environment);
        added.ExitCode.ShouldBe(0, added.All);
        _repo.Commit($"Add {App}");
    }

    private static async Task<string> GetAsync(int port, string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Processes that still run from this repository's state folder (a release, a supervisor, a router: each names a
    /// path under it), after up to 10 s for them to end.
    /// </summary>
    private async Task<List<string>> ProcessesLeftAsync()
    {
        var left = new List<string>();
        for (var waited = 0; waited < 100; waited++)
        {
            left = [.. Directory.EnumerateDirectories("/proc")
                .Where(folder => int.TryParse(Path.GetFileName(folder), out var pid) && pid != System.Environment.ProcessId)
                .Select(folder => (Folder: folder, CommandLine: Read(Path.Combine(folder, "cmdline"))))
                .Where(p => p.CommandLine.Contains(_repo.StateDirectory, StringComparison.Ordinal))
                .Select(p => $"{Path.GetFileName(p.Folder)}: {p.CommandLine}")];
            if (left.Count == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        return left;

        static string Read(string file)
        {
            try
            {
                return File.ReadAllText(file).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return string.Empty;
            }
        }
    }
}
