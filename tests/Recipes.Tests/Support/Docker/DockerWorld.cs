using System.Diagnostics;
using System.Net.Http.Headers;

namespace Recipes.Tests.Support.Docker;

/// <summary>
/// One Docker engine, one registry and one base image for the whole test run, started on first use and stopped
/// when the test process ends: Debian's dockerd with its own data-root and unix socket (never the machine's
/// engine, never a bridge network), Debian's docker-registry on a loopback port, and a base image with this
/// machine's ASP.NET Core runtime pushed there, since no image can be pulled from outside.
/// </summary>
/// <remarks>
/// Tests hand <see cref="Environment"/> to the builds they start, so that the recipe, the SDK's container
/// publishing and the docker CLI all reach this engine and this registry.
/// </remarks>
internal sealed class DockerWorld
{
    private const string RootPrefix = "recipes-docker-";
    private const string ServerPidSuffix = ".server-pid";

    private const string ReaperScript = """
        while kill -0 "$OWNER" 2>/dev/null; do sleep 1; done
        for file in "$ROOT"/*.server-pid; do [ -f "$file" ] && kill -TERM "$(cat "$file")" 2>/dev/null; done
        for attempt in $(seq 1 30); do
          alive=0
          for file in "$ROOT"/*.server-pid; do [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && alive=1; done
          [ "$alive" = 0 ] && break
          sleep 0.5
        done
        for file in "$ROOT"/*.server-pid; do [ -f "$file" ] && kill -KILL "$(cat "$file")" 2>/dev/null; done
        grep " $ROOT/" /proc/mounts | cut -d' ' -f2 | sort -r | while read -r point; do umount -l "$point"; done
        rm -rf "$ROOT"
        """;
    private static readonly Lazy<DockerWorld> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly List<Process> _servers = [];

    private DockerWorld(string root, int registryPort, string runtimeVersion)
    {
        Root = root;
        RegistryPort = registryPort;
        BaseImage = $"{Registry}/recipes-base/aspnet:{runtimeVersion}";
    }

    /// <summary>The run's engine, registry and base image; the first caller starts them (minutes on a machine that never built the base image).</summary>
    public static DockerWorld Shared => Started.Value;

    /// <summary>The folder that holds the engine's data, sockets, logs and the registry's storage.</summary>
    public string Root { get; }

    /// <summary>The engine's unix socket.</summary>
    public string Socket => Path.Combine(Root, "docker.sock");

    /// <summary>What DOCKER_HOST says to reach this engine.</summary>
    public string DockerHost => "unix://" + Socket;

    /// <summary>The registry's loopback port.</summary>
    public int RegistryPort { get; }

    /// <summary>The registry as image names spell it: <c>127.0.0.1:PORT</c>.</summary>
    public string Registry => $"127.0.0.1:{RegistryPort}";

    /// <summary>Debian minbase with this machine's .NET and ASP.NET Core runtimes, in the registry: what deployables' images build on.</summary>
    public string BaseImage { get; }

    /// <summary>The variables a build needs to use this engine and push to this registry over plain HTTP.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = DockerHost,
        ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = Registry,
    };

    /// <summary>Runs the docker CLI against this engine.</summary>
    public ProcessResult Docker(params string[] arguments) => Docker(TimeSpan.FromMinutes(5), arguments);

    /// <summary>Runs the docker CLI against this engine, within <paramref name="timeout"/>.</summary>
    public ProcessResult Docker(TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.Run("docker", arguments, Root, timeout, new Dictionary<string, string> { ["DOCKER_HOST"] = DockerHost });

    /// <summary>Runs the docker CLI and fails with its output unless it exits with 0; returns its standard output, trimmed.</summary>
    public string DockerOrFail(params string[] arguments)
    {
        var result = Docker(arguments);
        return result.ExitCode == 0
            ? result.Output.Trim()
            : throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed with exit code {result.ExitCode}:\n{result.All}");
    }

    /// <summary>What the registry's API says <paramref name="repository"/>:<paramref name="tag"/> names (HEAD on the manifest, Docker-Content-Digest); null when it has no such tag.</summary>
    public async Task<string?> RegistryDigestAsync(string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? response.Headers.GetValues("Docker-Content-Digest").Single() : null;
    }

    private static DockerWorld Start()
    {
        if (!OperatingSystem.IsLinux() || System.Environment.UserName != "root")
        {
            throw new InvalidOperationException("The Docker tests start their own engine with dockerd, which needs Linux and root; run them as root on Linux.");
        }

        DebianPackages.Require("dockerd", "docker.io");
        DebianPackages.Require("docker-registry", "docker-registry");
        DebianPackages.Require("debootstrap", "debootstrap");
        RemoveLeftovers();

        var root = Directory.CreateDirectory(Path.Combine("/tmp", $"{RootPrefix}{System.Environment.ProcessId}")).FullName;
        File.WriteAllText(Path.Combine(root, "owner.pid"), System.Environment.ProcessId.ToString());
        var world = new DockerWorld(root, PublicPorts.Next(), BaseImages.RuntimeVersion());
        world.StartReaper();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => world.Stop();
        try
        {
            world.StartEngine();
            world.StartRegistry();
            world.PushBaseImage();
            return world;
        }
        catch
        {
            world.Stop();
            throw;
        }
    }

    private void StartEngine()
    {
        // --bridge=none and no iptables: containers share the host's loopback (--network host) and nothing else.
        _servers.Add(StartServer("dockerd", Path.Combine(Root, "dockerd.log"),
            "--data-root", Path.Combine(Root, "data"), "--exec-root", Path.Combine(Root, "exec"),
            "--pidfile", Path.Combine(Root, "docker.pid"), "--host", DockerHost,
            "--bridge=none", "--iptables=false", "--ip-masq=false", "--shutdown-timeout", "2"));
        WaitFor(() => Docker(TimeSpan.FromSeconds(10), "version", "--format", "{{.Server.Version}}").ExitCode == 0,
            TimeSpan.FromSeconds(90), "dockerd", Path.Combine(Root, "dockerd.log"));
    }

    private void StartRegistry()
    {
        var config = Path.Combine(Root, "registry.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(Root, "registry")}
              delete:
                enabled: true
            http:
              addr: {Registry}
            """);
        _servers.Add(StartServer("docker-registry", Path.Combine(Root, "registry.log"), "serve", config));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        WaitFor(() => RegistryAnswers(http), TimeSpan.FromSeconds(60), "docker-registry", Path.Combine(Root, "registry.log"));
    }

    private bool RegistryAnswers(HttpClient http)
    {
        try
        {
            return http.GetAsync($"http://{Registry}/v2/").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void PushBaseImage()
    {
        var tarball = BaseImages.EnsureTarball();
        // APP_UID as Microsoft's aspnet images set it: the SDK then makes app images run as that user (app, 1654), not root.
        DockerOrFail("import", "--change", "ENV DOTNET_ROOT=/usr/share/dotnet", "--change", "ENV APP_UID=1654",
            "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", tarball, BaseImage);
        DockerOrFail("push", BaseImage);
    }

    private Process StartServer(string command, string logFile, params string[] arguments)
    {
        // The server writes straight to its log file (through sh's redirection), so nothing in the test process
        // must keep reading its output for it to go on running; its pid file is what the reaper ends.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("echo $$ > \"$PIDFILE\"; exec \"$0\" \"$@\" >>\"$LOG\" 2>&1");
        info.ArgumentList.Add(DebianPackages.Find(command) ?? command);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LOG"] = logFile;
        info.Environment["PIDFILE"] = Path.Combine(Root, command + ServerPidSuffix);
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}.");
    }

    /// <summary>
    /// A small shell process that outlives the test process: when it ends, however it ends (the test host does
    /// not always run exit handlers), the reaper stops the servers, unmounts what the engine left and removes the folder.
    /// </summary>
    private void StartReaper()
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ReaperScript);
        info.Environment["OWNER"] = System.Environment.ProcessId.ToString();
        info.Environment["ROOT"] = Root;
        Process.Start(info)?.Dispose();
    }

    private void WaitFor(Func<bool> ready, TimeSpan timeout, string what, string logFile)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (_servers.Any(server => server.HasExited) || clock.Elapsed > timeout)
            {
                var log = File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(30)) : "(no log)";
                throw new InvalidOperationException($"{what} did not come up within {timeout.TotalSeconds:0} s; the end of {logFile}:\n{log}");
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>Asks the servers to end now; the reaper waits for them and removes the folder once the test process is gone.</summary>
    private void Stop()
    {
        foreach (var server in _servers.Where(server => !server.HasExited))
        {
            // SIGTERM: dockerd stops its containers and unmounts its layers; the registry just ends.
            Signals.Terminate(server.Id);
        }
    }

    /// <summary>Engines and registries of earlier test runs that were killed before they could stop them.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.GetDirectories("/tmp", RootPrefix + "*"))
        {
            var owner = Path.Combine(folder, "owner.pid");
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && Signals.IsAlive(pid))
            {
                continue;
            }

            // Only a folder whose reaper was itself killed gets here.
            foreach (var server in Directory.GetFiles(folder, "*" + ServerPidSuffix))
            {
                if (int.TryParse(File.ReadAllText(server).Trim(), out var serverPid))
                {
                    Signals.Terminate(serverPid);
                    Signals.WaitGone(serverPid, TimeSpan.FromSeconds(15));
                }
            }

            Folders.Remove(folder);
        }
    }
}
