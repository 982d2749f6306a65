using System.Diagnostics;
using System.Net.Sockets;

namespace Recipes.Tests.Support.Fleet;

/// <summary>
/// Three SSH hosts and a spare for the whole test run, started on first use and torn down however the test process ends: one
/// network namespace each, reached from this machine through a veth pair of its own (no bridge: nothing joins the hosts
/// to each other or to any other network) with addresses in one private /24 the fixture creates (and deletes after), each running Debian's sshd on its address with a per-run host key and the run's client key as
/// root's only way in. Debian's nginx is installed for the balancer the hosts target runs itself.
/// </summary>
/// <remarks>
/// Namespaces share the file system, so each host deploys under a folder of its own (<see cref="FleetHost.Path"/>):
/// two hosts writing one folder would hide a release that reached only one of them.
/// </remarks>
internal sealed class Fleet
{
    public const int HostCount = 3;

    // The spare is made and started with the others: a test replaces a lost host with it, as a team with a new machine.
    private const int MachineCount = HostCount + 1;
    private const string RootPrefix = "recipes-fleet-";

    // Runs twice (at exit and in the reaper, whichever comes first); every step tolerates what is already gone.
    private const string TeardownScript = """
        for ns in $NAMESPACES; do
          for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
          ip netns del "$ns" 2>/dev/null
        done
        # Deleting a namespace deletes its veth end and the pair with it, unless something still holds the namespace.
        for link in $LINKS; do ip link del "$link" 2>/dev/null; done
        if [ -f "$ROOT/tracked" ]; then
          while read -r file; do [ -f "$file" ] && kill -TERM "$(cat "$file")" 2>/dev/null; done < "$ROOT/tracked"
        fi
        rm -rf "$ROOT"
        """;
    private static readonly Lazy<Fleet> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private Fleet(string root, string subnet, string tag)
    {
        Root = root;
        Subnet = subnet;
        LinkPrefix = $"rfl{tag}";
        Machines = [.. Enumerable.Range(1, MachineCount).Select(n => new FleetHost(
            $"{RootPrefix}{tag}-h{n}", $"{subnet}.{10 + n}", System.IO.Path.Combine(root, "hosts", $"h{n}"), System.IO.Path.Combine(root, $"sshd-h{n}")))];
    }

    /// <summary>The run's hosts; the first caller creates them (seconds, plus apt-get on a machine without sshd).</summary>
    public static Fleet Shared => Started.Value;

    /// <summary>The folder with keys, sshd configurations and logs, and the hosts' deploy folders.</summary>
    public string Root { get; }

    /// <summary>The /24's first three octets, such as <c>10.231.57</c>.</summary>
    public string Subnet { get; }

    /// <summary>The start of the names of this machine's ends of the veth pairs; each end has <c>.1</c>.</summary>
    private string LinkPrefix { get; }

    private IEnumerable<string> OuterLinks => Machines.Select((_, index) => $"{LinkPrefix}v{index + 1}");

    /// <summary>The three hosts environments list at first.</summary>
    public IReadOnlyList<FleetHost> Hosts => Machines.Take(HostCount).ToList();

    /// <summary>A fourth host, up and pinned in <see cref="KnownHosts"/>, that no environment lists until a test puts it in place of a lost one.</summary>
    public FleetHost Spare => Machines[HostCount];

    private IReadOnlyList<FleetHost> Machines { get; }

    /// <summary>The private key (OpenSSH format) root on every host accepts: what DEPLOY_SSH_KEY holds in the tests.</summary>
    public string ClientKey => File.ReadAllText(System.IO.Path.Combine(Root, "client_key"));

    /// <summary>A known_hosts file with every host's key, the spare's included.</summary>
    public string KnownHosts => System.IO.Path.Combine(Root, "known_hosts");

    /// <summary>Has the reaper send TERM to the pid in <paramref name="pidFile"/> when the run ends (a balancer a test started).</summary>
    public void Track(string pidFile) => File.AppendAllText(System.IO.Path.Combine(Root, "tracked"), pidFile + "\n");

    /// <summary>
    /// Loses <paramref name="host"/> as a machine that died: every process in its namespace (sshd, its sessions, the
    /// releases and their supervisors) is killed, so its SSH connections close and nothing answers on its address.
    /// </summary>
    public void Lose(FleetHost host)
    {
        Run("/bin/sh", "-c", "for pid in $(ip netns pids \"$0\"); do kill -KILL \"$pid\" 2>/dev/null; done; true", host.Namespace);
        WaitUntil(() => !Answers(host.Address), TimeSpan.FromSeconds(30), $"{host.Address}:22 to stop answering");
    }

    /// <summary>Starts <paramref name="host"/>'s sshd again (same address and key), as a machine back from the dead or freshly installed.</summary>
    public void BringBack(FleetHost host) => StartSshd(host);

    /// <summary>
    /// Another program holding <paramref name="port"/> on <paramref name="host"/>'s address (Python's HTTP server, in
    /// its namespace), so that a release started there cannot listen; disposing it ends it, as the teardown would.
    /// </summary>
    public IDisposable Occupy(FleetHost host, int port)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec ip netns exec \"$NS\" \"$PYTHON\" -m http.server --bind \"$ADDRESS\" \"$PORT\" >/dev/null 2>&1");
        info.Environment["NS"] = host.Namespace;
        info.Environment["PYTHON"] = DebianPackages.Require("python3", "python3");
        info.Environment["ADDRESS"] = host.Address;
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(info)!;
        WaitUntil(() => Answers(host.Address, port), TimeSpan.FromSeconds(30), $"Python's HTTP server on {host.Address}:{port}");
        return new Occupied(process);
    }

    private static Fleet Start()
    {
        if (!OperatingSystem.IsLinux() || System.Environment.UserName != "root")
        {
            throw new InvalidOperationException("The fleet's hosts are network namespaces with their own sshd, which needs Linux and root; run the hosts tests as root on Linux.");
        }

        DebianPackages.Require("sshd", "openssh-server");
        DebianPackages.Require("nginx", "nginx");
        DebianPackages.Require("unzip", "unzip");
        var tag = System.Environment.ProcessId.ToString();
        var root = Directory.CreateDirectory(System.IO.Path.Combine("/tmp", RootPrefix + tag)).FullName;
        var fleet = new Fleet(root, FreeSubnet(), tag);
        fleet.StartReaper();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => fleet.Teardown();
        try
        {
            fleet.CreateNetwork();
            fleet.CreateKeys();
            foreach (var host in fleet.Machines)
            {
                fleet.StartSshd(host);
            }

            return fleet;
        }
        catch
        {
            fleet.Teardown();
            throw;
        }
    }

    /// <summary>A 10.231.x.0/24 no route of this machine covers yet (one per concurrent run, by process id).</summary>
    private static string FreeSubnet()
    {
        var routes = ProcessRunner.Run("ip", ["-4", "route"], "/", TimeSpan.FromSeconds(10)).Output;
        for (var offset = 0; offset < 200; offset++)
        {
            var subnet = $"10.231.{(System.Environment.ProcessId + offset) % 200 + 20}";
            if (!routes.Contains(subnet + ".", StringComparison.Ordinal) && !routes.Contains("10.231.0.0/16", StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException($"Every 10.231.x.0/24 is routed on this machine already:\n{routes}");
    }

    private void CreateNetwork()
    {
        foreach (var (host, outside) in Machines.Zip(OuterLinks))
        {
            // Point to point: this machine's end has .1/32 and a route to the one host behind it, so the hosts reach
            // this machine only, never each other, and nothing is bridged.
            Run("ip", "netns", "add", host.Namespace);
            Run("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
            Run("ip", "addr", "add", $"{Subnet}.1/32", "dev", outside);
            Run("ip", "link", "set", outside, "up");
            Run("ip", "route", "add", $"{host.Address}/32", "dev", outside);
            Run("ip", "-n", host.Namespace, "addr", "add", $"{host.Address}/24", "dev", "eth0");
            Run("ip", "-n", host.Namespace, "link", "set", "eth0", "up");
            Run("ip", "-n", host.Namespace, "link", "set", "lo", "up");
            Directory.CreateDirectory(host.Path);
            Directory.CreateDirectory(host.SshFolder);
        }
    }

    private void CreateKeys()
    {
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "recipes-fleet", "-f", System.IO.Path.Combine(Root, "client_key"));
        File.Copy(System.IO.Path.Combine(Root, "client_key.pub"), System.IO.Path.Combine(Root, "authorized_keys"));
        foreach (var host in Machines)
        {
            Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.Address, "-f", System.IO.Path.Combine(host.SshFolder, "ssh_host_ed25519_key"));
        }

        File.WriteAllLines(KnownHosts, Machines.Select(host => $"{host.Address} {File.ReadAllText(System.IO.Path.Combine(host.SshFolder, "ssh_host_ed25519_key.pub")).Trim()}"));
    }

    private void StartSshd(FleetHost host)
    {
        // sshd's privilege separation folder; Debian's service creates it, and that service is not what runs here.
        Directory.CreateDirectory("/run/sshd");
        var config = System.IO.Path.Combine(host.SshFolder, "sshd_config");
        File.WriteAllText(config, $"""
            ListenAddress {host.Address}:22
            HostKey {System.IO.Path.Combine(host.SshFolder, "ssh_host_ed25519_key")}
            PidFile {System.IO.Path.Combine(host.SshFolder, "sshd.pid")}
            AuthorizedKeysFile {System.IO.Path.Combine(Root, "authorized_keys")}
            AllowUsers root
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            Subsystem sftp internal-sftp
            """);
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec ip netns exec \"$NS\" \"$SSHD\" -D -e -f \"$CONFIG\" >>\"$LOG\" 2>&1");
        info.Environment["NS"] = host.Namespace;
        info.Environment["SSHD"] = DebianPackages.Find("sshd")!;
        info.Environment["CONFIG"] = config;
        info.Environment["LOG"] = System.IO.Path.Combine(host.SshFolder, "sshd.log");
        Process.Start(info)?.Dispose();
        WaitUntil(() => Answers(host.Address), TimeSpan.FromSeconds(30), $"sshd on {host.Address}:22 (see {info.Environment["LOG"]})");
    }

    private static bool Answers(string address, int port = 22)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(address, port).Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }

            Thread.Sleep(100);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var result = ProcessRunner.Run(command, arguments, "/", TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed with exit code {result.ExitCode}:\n{result.All}");
        }
    }

    /// <summary>
    /// A shell process that outlives the test process and tears the fleet down once it is gone, however it ended: in
    /// a session of its own (setsid -f), so that a test runner ending the test host's process tree does not end it too.
    /// </summary>
    private void StartReaper()
    {
        var info = TeardownInfo("while kill -0 \"$OWNER\" 2>/dev/null; do sleep 1; done\n" + TeardownScript);
        info.FileName = "setsid";
        info.ArgumentList.Insert(0, "/bin/sh");
        info.ArgumentList.Insert(0, "-f");
        Process.Start(info)?.Dispose();
    }

    private void Teardown()
    {
        using var process = Process.Start(TeardownInfo(TeardownScript));
        process?.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private ProcessStartInfo TeardownInfo(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["OWNER"] = System.Environment.ProcessId.ToString();
        info.Environment["ROOT"] = Root;
        info.Environment["LINKS"] = string.Join(' ', OuterLinks);
        info.Environment["NAMESPACES"] = string.Join(' ', Machines.Select(host => host.Namespace));
        return info;
    }
}

/// <summary>A process that holds a port until disposed.</summary>
internal sealed class Occupied(Process process) : IDisposable
{
    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}

/// <summary>One host of the <see cref="Fleet"/>.</summary>
/// <param name="Namespace">Its network namespace.</param>
/// <param name="Address">Its address in the fleet's /24, where its sshd and its releases listen.</param>
/// <param name="Path">The folder it deploys under (the namespaces share one file system).</param>
/// <param name="SshFolder">Its sshd's configuration, host key, pid file and log.</param>
internal sealed record FleetHost(string Namespace, string Address, string Path, string SshFolder);
