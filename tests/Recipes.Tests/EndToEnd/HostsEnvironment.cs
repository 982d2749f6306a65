using System.Text;
using Recipes.Tests.Support;
using Recipes.Tests.Support.Fleet;

namespace Recipes.Tests.EndToEnd;

/// <summary>
/// One <c>target: hosts</c> environment of the shared <see cref="HostsSample"/>, for one test class: its name, public
/// port and host folders are its own; what ./build.sh printed for it is kept to look for the key and the secret.
/// Disposing it stops what it runs (nginx and the slots on every host the environments file lists then).
/// </summary>
internal sealed class HostsEnvironment : IDisposable
{
    private const string BlueGreen = "{ kind: blue-green, grace-period: 0s }";
    private readonly string _run;
    private readonly List<ProcessResult> _outputs = [];

    public HostsEnvironment(HostsSample sample, string name)
    {
        Name = name;
        Sample = sample;
        _run = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        Repo.Environment["DEPLOY_SSH_KEY"] = Fleet.ClientKey;
        Repo.Environment["SHOP_API_KEY"] = sample.Secret;
        Directory.CreateDirectory(Path.Combine(Repo.Repository, "deploy"));
        File.Copy(Fleet.KnownHosts, KnownHosts, overwrite: true);
        Write(Fleet.Hosts.Select(host => Entry(host)));
        Fleet.Track(Path.Combine(NginxFolder, "nginx.pid"));
    }

    public string Name { get; }

    public HostsSample Sample { get; }

    public int Port { get; } = PublicPorts.Next();

    public Fleet Fleet { get; } = Fleet.Shared;

    public SampleRepository Repo => Sample.Repo;

    public string KnownHosts => Path.Combine(Repo.Repository, "deploy", "known_hosts");

    /// <summary>The environment's nginx folder in the state folder (nginx.conf, upstream.conf, upstream.history, access.log).</summary>
    public string NginxFolder => Path.Combine(Repo.StateDirectory, "hosts", Name, "nginx");

    /// <summary>nginx's public URL of <paramref name="path"/>.</summary>
    public Uri Public(string path = "/version") => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>The environments file with this environment alone, of <paramref name="hosts"/> (<see cref="Entry"/>s).</summary>
    public void Write(IEnumerable<string> hosts, string strategy = BlueGreen, string balancer = "{ kind: nginx }") =>
        Repo.Write("environments.yml", $$"""
            environments:
              - name: {{Name}}
                artifact: Acme.Shop.Api
                target: hosts
                port: {{Port}}
                hosts:
            {{string.Concat(hosts.Select(host => $"      - {host}\n"))}}    ssh: { key-from-env: DEPLOY_SSH_KEY, known-hosts: deploy/known_hosts }
                balancer: {{balancer}}
                strategy: {{strategy}}
                health: { path: /health, timeout: 60s }
                smoke: [ { path: /version } ]
                secrets: { Shop__ApiKey: { from-env: SHOP_API_KEY } }
            """);

    /// <summary>The fleet's three hosts with <paramref name="strategy"/>.</summary>
    public void Write(string strategy) => Write(Fleet.Hosts.Select(host => Entry(host)), strategy);

    /// <summary>The environments file's entry for <paramref name="host"/>.</summary>
    public string Entry(FleetHost host, string user = "root") => $"{{ address: {host.Address}, user: {user}, path: {HostPath(host)} }}";

    /// <summary>The folder this environment deploys under on <paramref name="host"/> (the namespaces share this file system).</summary>
    public string HostPath(FleetHost host) => Path.Combine(host.Path, _run);

    /// <summary>Runs ./build.sh and keeps what it printed.</summary>
    public ProcessResult Build(params string[] arguments)
    {
        var result = Repo.Build(arguments);
        _outputs.Add(result);
        return result;
    }

    /// <summary>Asserts that <paramref name="result"/> (<paramref name="what"/>) succeeded.</summary>
    public void Succeeds(ProcessResult result, string what) => result.ExitCode.ShouldBe(0, $"{what}: {result.All}");

    public ProcessResult Deploy(HostsRelease release, params string[] more) =>
        Build(["--target=Deploy", $"--environment={Name}", $"--deploy-version={release.Version}", $"--manifest={release.Manifest}", .. more]);

    /// <summary>
    /// Deploys <paramref name="release"/> and, once ./build.sh has printed <paramref name="marker"/>, runs
    /// <paramref name="meanwhile"/> while it goes on; then waits for it to end.
    /// </summary>
    public async Task<ProcessResult> DeployWhileAsync(HostsRelease release, string marker, Func<Task> meanwhile, params string[] more)
    {
        var output = new StringBuilder();
        using var process = Repo.Start(output, ["--target=Deploy", $"--environment={Name}", $"--deploy-version={release.Version}", $"--manifest={release.Manifest}", .. more]);
        string Printed()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        while (!Printed().Contains(marker, StringComparison.Ordinal) && !process.HasExited)
        {
            await Task.Delay(50);
        }

        Printed().ShouldContain(marker, Case.Sensitive, "the deploy printed it before it ended");
        await meanwhile();
        await process.WaitForExitAsync();
        var result = new ProcessResult(process.ExitCode, Printed(), string.Empty);
        _outputs.Add(result);
        return result;
    }

    /// <summary>The servers of nginx's upstream now, <c>address:port</c> each.</summary>
    public IReadOnlyList<string> Upstream() =>
        [.. File.ReadLines(Path.Combine(NginxFolder, "upstream.conf")).Select(line => line.Split(' ')[1])];

    /// <summary>
    /// The SSH key and the secret appear in nothing ./build.sh printed, and in no file of the repository, the state
    /// folder or this environment's host folders (of <paramref name="hosts"/>) but a live slot's environment file.
    /// </summary>
    /// <returns>The files holding either.</returns>
    public List<string> KeyAndSecretOnlyInLiveEnvironmentFiles(IEnumerable<FleetHost> hosts, string liveSlot)
    {
        var keyBody = Fleet.ClientKey.Split('\n')[1];
        foreach (var output in _outputs)
        {
            output.All.ShouldNotContain(Sample.Secret);
            output.All.ShouldNotContain(keyBody);
        }

        var holding = FilesContaining(Sample.Secret, hosts).Concat(FilesContaining(keyBody, hosts)).ToList();
        holding.ShouldAllBe(file => file.EndsWith($"/slots/{liveSlot}/env", StringComparison.Ordinal), string.Join(", ", holding));
        return holding;
    }

    private IEnumerable<string> FilesContaining(string text, IEnumerable<FleetHost> hosts)
    {
        var roots = new[] { Repo.Repository, Repo.StateDirectory }.Concat(hosts.Select(HostPath)).Where(Directory.Exists);
        return roots.SelectMany(root => Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/.git/", StringComparison.Ordinal) && File.ReadAllText(file).Contains(text, StringComparison.Ordinal));
    }

    /// <summary>The version <paramref name="url"/> answers with (its X-App-Version header, without build metadata).</summary>
    public static async Task<string?> VersionAsync(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(url);
        return Plain(response.Headers.TryGetValues("X-App-Version", out var values) ? values.Single() : null);
    }

    /// <summary>Whether anything answers HTTP on <paramref name="url"/>.</summary>
    public static async Task<bool> AnswersAsync(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(url);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>nginx and <paramref name="slot"/> of each of <paramref name="hosts"/> answer with <paramref name="release"/>'s version.</summary>
    public async Task ServesAsync(HostsRelease release, string slot, params FleetHost[] hosts)
    {
        for (var i = 0; i < 6; i++)
        {
            (await VersionAsync(Public().ToString())).ShouldBe(release.Version, "through nginx");
        }

        foreach (var host in hosts)
        {
            (await VersionAsync(SlotUrl(host, slot))).ShouldBe(release.Version, $"slot {slot} of {host.Address}");
        }
    }

    /// <summary>/version of <paramref name="slot"/> on <paramref name="host"/>: blue on the public port + 1, green + 2.</summary>
    public string SlotUrl(FleetHost host, string slot) => $"http://{host.Address}:{Port + (slot == "blue" ? 1 : 2)}/version";

    /// <summary>A version without its build metadata.</summary>
    public static string? Plain(string? version) => version?.Split('+')[0];

    public void Dispose()
    {
        File.Copy(Fleet.KnownHosts, KnownHosts, overwrite: true); // the real keys again, so that Stop reaches every host
        Repo.Build("--target=Stop");
    }
}
