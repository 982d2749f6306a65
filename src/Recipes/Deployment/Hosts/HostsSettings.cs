using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment.Hosts;

/// <summary>The hosts target's own fields of one environment: which hosts, how to reach them, and the balancer in front.</summary>
/// <param name="Hosts">The hosts, in the file's order.</param>
/// <param name="KeyVariable">The build's environment variable that holds the SSH private key (OpenSSH format).</param>
/// <param name="KnownHosts">The known_hosts file that pins every host's key, as a full path; null when each host gives its fingerprint.</param>
/// <param name="Balancer">The balancer in front of the hosts.</param>
internal sealed record HostsSettings(IReadOnlyList<HostEntry> Hosts, string KeyVariable, string? KnownHosts, BalancerSettings Balancer)
{
    private static readonly string[] HostKeys = ["address", "user", "path", "fingerprint"];
    private static readonly string[] SshKeys = ["key-from-env", "known-hosts"];
    private static readonly string[] BalancerKeys = ["kind", "host", "include"];

    /// <summary>Where a host keeps its releases when its entry gives no <c>path:</c>.</summary>
    public const string DefaultPath = "/srv/recipes";

    /// <summary>Reads and checks <c>hosts:</c>, <c>ssh:</c> and <c>balancer:</c>; every problem names file, line and field.</summary>
    public static HostsSettings Read(YamlFields fields)
    {
        var ssh = new YamlFields(fields.File, fields.Find("ssh") ?? throw Missing(fields, "ssh", "{ key-from-env: DEPLOY_SSH_KEY, known-hosts: deploy/known_hosts }"), "ssh.", SshKeys);
        var keyVariable = ssh.RequiredString("key-from-env", "DEPLOY_SSH_KEY");
        var folder = Path.GetDirectoryName(Path.GetFullPath(fields.File)) ?? Directory.GetCurrentDirectory();
        var knownHosts = ssh.OptionalString("known-hosts") is { } path ? Path.GetFullPath(path, folder) : null;
        var hosts = ReadHosts(fields, knownHosts is not null);
        var balancer = new YamlFields(fields.File, fields.Find("balancer") ?? throw Missing(fields, "balancer", "{ kind: nginx }"), "balancer.", BalancerKeys);
        var kind = balancer.RequiredString("kind", "nginx");
        if (kind != BalancerSettings.Nginx)
        {
            throw balancer.Error(balancer.Find("kind")!, "kind", $"'balancer.kind' is '{kind}'; the hosts target balances with nginx only: use kind: nginx.");
        }

        var balancerHost = balancer.OptionalString("host") ?? "127.0.0.1";
        if (balancerHost is not ("127.0.0.1" or "localhost"))
        {
            throw balancer.Error(balancer.Find("host")!, "host", $"'balancer.host' is '{balancerHost}'; the hosts target runs nginx on the deploying machine only (127.0.0.1) for now.");
        }

        var include = balancer.OptionalString("include") is { } snippet ? Path.GetFullPath(snippet, folder) : null;
        if (include is not null && !File.Exists(include))
        {
            throw balancer.Error(balancer.Find("include")!, "include", $"'balancer.include' is '{balancer.OptionalString("include")}', which does not exist ({include}); give a file of nginx directives for the location that passes requests to the hosts, relative to this file.");
        }

        return new HostsSettings(hosts, keyVariable, knownHosts, new BalancerSettings(kind, "127.0.0.1", include));
    }

    private static List<HostEntry> ReadHosts(YamlFields fields, bool pinnedByFile)
    {
        if (fields.Find("hosts") is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            throw Missing(fields, "hosts", "[ { address: 10.0.0.11, user: deploy } ]");
        }

        var hosts = new List<HostEntry>();
        foreach (var node in list.Children)
        {
            var host = new YamlFields(fields.File, node, "hosts[].", HostKeys);
            var address = host.RequiredString("address", "10.0.0.11");
            var entry = new HostEntry(address, host.RequiredString("user", "deploy"), host.OptionalString("path") ?? DefaultPath, host.OptionalString("fingerprint"), host.Line);
            if (!entry.Path.StartsWith('/'))
            {
                throw host.Error(host.Find("path")!, "path", $"'hosts[].path' is '{entry.Path}'; give the host's release folder as an absolute path, such as {DefaultPath}.");
            }

            if (entry.Fingerprint is { } fingerprint && !fingerprint.StartsWith("SHA256:", StringComparison.Ordinal))
            {
                throw host.Error(host.Find("fingerprint")!, "fingerprint", $"'hosts[].fingerprint' is '{fingerprint}'; give the host key's SHA-256 fingerprint as ssh-keygen -lf prints it: SHA256:...");
            }

            if (!pinnedByFile && entry.Fingerprint is null)
            {
                throw host.Error(node, "fingerprint", $"host {address} has no pinned key: add 'fingerprint: SHA256:...' to it or 'known-hosts: <file>' to ssh:, so that no host key is ever accepted unchecked.");
            }

            if (hosts.FirstOrDefault(earlier => earlier.Address == address) is { } twice)
            {
                throw host.Error(host.Find("address")!, "address", $"'hosts[].address' {address} is listed twice (first on line {twice.Line}); list each host once.");
            }

            hosts.Add(entry);
        }

        return hosts;
    }

    private static EnvironmentsFileException Missing(YamlFields fields, string key, string example) =>
        fields.Error(fields.Node, key, $"'{key}' is missing for target hosts; add it, for example {key}: {example}.");
}

/// <summary>One host of a hosts environment.</summary>
/// <param name="Address">Its address, where sshd and its releases listen.</param>
/// <param name="User">The SSH user.</param>
/// <param name="Path">Its folder of releases, slots and the supervisor.</param>
/// <param name="Fingerprint">Its pinned host key fingerprint (<c>SHA256:...</c>), or null when known_hosts pins it.</param>
/// <param name="Line">The file line of its entry, for messages.</param>
internal sealed record HostEntry(string Address, string User, string Path, string? Fingerprint, int Line)
{
    /// <summary>How messages name it: <c>deploy@10.0.0.11</c>.</summary>
    public string Name => $"{User}@{Address}";
}

/// <summary>The balancer in front of a hosts environment.</summary>
/// <param name="Kind">Always <see cref="Nginx"/> for now.</param>
/// <param name="Host">Where it runs: this machine.</param>
/// <param name="Include">
/// The team's file of nginx directives for the location that passes requests to the hosts (headers, timeouts, limits),
/// as a full path; null for none. It is copied beside nginx.conf at each switch and checked with it by <c>nginx -t</c>.
/// </param>
internal sealed record BalancerSettings(string Kind, string Host, string? Include = null)
{
    public const string Nginx = "nginx";
}
