using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// One SSH connection (commands and SFTP) to one host of a hosts environment, whose host key must equal the pinned
/// one: an unknown or changed key refuses the host before anything is sent. The private key comes from a variable,
/// is read from memory and never written anywhere.
/// </summary>
internal sealed class SshSession : IDisposable
{
    private readonly SshClient _ssh;
    private readonly SftpClient _sftp;

    private SshSession(HostEntry host, SshClient ssh, SftpClient sftp)
    {
        Host = host;
        _ssh = ssh;
        _sftp = sftp;
    }

    public HostEntry Host { get; }

    /// <summary>Whether the connection still stands (false once the host was lost).</summary>
    public bool IsConnected => _ssh.IsConnected;

    /// <summary>Connects to <paramref name="host"/> with <paramref name="privateKey"/>, accepting only the host key <paramref name="pinned"/> gives for it.</summary>
    /// <exception cref="RecipeException">The host is unreachable, refuses the user or key, or shows another key than the pinned one (one line naming the host).</exception>
    public static async Task<SshSession> OpenAsync(HostEntry host, string privateKey, HostKeyPins pinned, CancellationToken cancellationToken)
    {
        using var keyStream = new MemoryStream(Encoding.UTF8.GetBytes(privateKey.Replace("\r\n", "\n", StringComparison.Ordinal)));
        PrivateKeyFile key;
        try
        {
            key = new PrivateKeyFile(keyStream);
        }
        catch (Exception e) when (e is SshException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new RecipeException($"The SSH private key is not a key SSH.NET can read (OpenSSH or PEM format without passphrase): {e.GetType().Name}.");
        }

        var info = new ConnectionInfo(host.Address, 22, host.User, new PrivateKeyAuthenticationMethod(host.User, key)) { Timeout = TimeSpan.FromSeconds(10) };
        string? refusal = null;
        void Check(object? sender, HostKeyEventArgs e)
        {
            refusal = pinned.Check(host, e.HostKeyName, e.HostKey);
            e.CanTrust = refusal is null;
        }

        var ssh = new SshClient(info);
        var sftp = new SftpClient(info);
        ssh.HostKeyReceived += Check;
        sftp.HostKeyReceived += Check;
        try
        {
            await ssh.ConnectAsync(cancellationToken);
            await sftp.ConnectAsync(cancellationToken);
            return new SshSession(host, ssh, sftp);
        }
        catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ssh.Dispose();
            sftp.Dispose();
            throw new RecipeException(refusal ?? e switch
            {
                SshAuthenticationException => $"Host {host.Name} refused the SSH key for user {host.User}: check the user and that the key in the key variable is in its authorized_keys.",
                _ => $"Host {host.Name} could not be reached over SSH on port 22: {e.Message.TrimEnd('.')}.",
            });
        }
    }

    /// <summary>Runs <paramref name="command"/> with sh on the host.</summary>
    /// <returns>Its exit status, and its standard output (with its error output too when the status is not 0).</returns>
    /// <exception cref="RecipeException">The connection was lost (the host died or went off the network): one line naming the host.</exception>
    public async Task<(int ExitStatus, string Output)> RunAsync(string command, CancellationToken cancellationToken)
    {
        try
        {
            using var run = _ssh.CreateCommand(command);
            run.CommandTimeout = TimeSpan.FromMinutes(5);
            await run.ExecuteAsync(cancellationToken);
            if (run.ExitStatus is null && !_ssh.IsConnected)
            {
                throw Lost(new SshConnectionException("the session closed before the command ended"));
            }

            // A host's shell start-up may write to stderr (a profile, a tool's hook): what a command prints for us to
            // read is its standard output; its errors are added only when it failed, to say why.
            var status = run.ExitStatus ?? -1;
            return (status, (status == 0 ? run.Result : run.Result + run.Error).Trim());
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw Lost(e);
        }
    }

    /// <summary>Runs <paramref name="command"/>, failing with <paramref name="what"/> and the host's answer unless it exits with 0.</summary>
    public async Task<string> RunOrFailAsync(string command, string what, CancellationToken cancellationToken)
    {
        var (status, output) = await RunAsync(command, cancellationToken);
        return status == 0 ? output : throw new RecipeException($"Host {Host.Name}: {what} failed (exit {status}): {Tail(output)}");
    }

    /// <summary>Uploads <paramref name="content"/> to <paramref name="path"/> on the host with the permission bits <paramref name="mode"/> (octal digits written as a number: 600).</summary>
    public async Task UploadAsync(Stream content, string path, short mode, CancellationToken cancellationToken)
    {
        try
        {
            await _sftp.UploadFileAsync(content, path, cancellationToken);
            _sftp.ChangePermissions(path, mode);
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            throw Lost(e);
        }
    }

    /// <summary>A connection that broke after it was opened: SSH.NET's own, the socket's, or a client disposed by its broken session.</summary>
    private static bool IsConnectionLoss(Exception e) =>
        e is SshConnectionException or SshOperationTimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException;

    private RecipeException Lost(Exception e) =>
        new($"Host {Host.Name} was lost: its SSH connection broke ({e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')}); replace it in the environments file or bring it back, then run ./build.sh --target=Reprovision --host={Host.Address}.");

    public void Dispose()
    {
        _ssh.Dispose();
        _sftp.Dispose();
    }

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(3));
    }
}

/// <summary>The host keys a hosts environment trusts: its known_hosts file's lines and each host's pinned fingerprint.</summary>
internal sealed class HostKeyPins
{
    private readonly string? _file;
    private readonly Dictionary<string, List<(string Type, string Fingerprint)>> _known = new(StringComparer.OrdinalIgnoreCase);

    private HostKeyPins(string? file) => _file = file;

    /// <summary>The pins of <paramref name="settings"/>: reads its known_hosts file, when it names one.</summary>
    /// <exception cref="RecipeException">The known_hosts file is missing.</exception>
    public static HostKeyPins Of(HostsSettings settings)
    {
        var pins = new HostKeyPins(settings.KnownHosts);
        if (settings.KnownHosts is { } file)
        {
            if (!File.Exists(file))
            {
                throw new RecipeException($"The known_hosts file {file} (ssh.known-hosts) does not exist; create it with each host's key (ssh-keyscan <host>, checked against the host's own ssh-keygen -lf).");
            }

            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3 || parts[0].StartsWith('#'))
                {
                    continue;
                }

                var fingerprint = FingerprintOf(parts[2]);
                foreach (var name in parts[0].Split(','))
                {
                    var address = name.StartsWith('[') && name.Contains("]:22", StringComparison.Ordinal) ? name[1..name.IndexOf(']', StringComparison.Ordinal)] : name;
                    (pins._known.TryGetValue(address, out var keys) ? keys : pins._known[address] = []).Add((parts[1], fingerprint));
                }
            }
        }

        return pins;
    }

    /// <summary>Null when <paramref name="host"/> showed a pinned key; else the one line that refuses it.</summary>
    public string? Check(HostEntry host, string keyType, byte[] hostKey)
    {
        var shown = "SHA256:" + Convert.ToBase64String(SHA256.HashData(hostKey)).TrimEnd('=');
        if (host.Fingerprint is { } pinned)
        {
            return pinned == shown ? null : Changed(host, keyType, shown, pinned, "its fingerprint: in environments.yml");
        }

        if (!_known.TryGetValue(host.Address, out var keys))
        {
            return $"Host {host.Name} is not in {_file}: its key ({keyType} {shown}) is unknown, so the host is refused and nothing was uploaded; add its key to that file once you have checked it on the host.";
        }

        return keys.Any(key => key.Type == keyType && "SHA256:" + key.Fingerprint == shown)
            ? null
            : Changed(host, keyType, shown, string.Join(", ", keys.Select(key => $"{key.Type} SHA256:{key.Fingerprint}")), _file!);
    }

    private static string Changed(HostEntry host, string keyType, string shown, string pinned, string where) =>
        $"Host {host.Name} showed the host key {keyType} {shown}, not the one pinned in {where} ({pinned}): refused, nothing was uploaded; if the host was rebuilt, check its new key on the host and update the pin.";

    private static string FingerprintOf(string base64Key)
    {
        try
        {
            return Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(base64Key))).TrimEnd('=');
        }
        catch (FormatException)
        {
            return "(unreadable key)";
        }
    }
}
