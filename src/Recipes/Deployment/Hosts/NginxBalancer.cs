using System.Diagnostics;
using System.Globalization;

namespace Recipes.Deployment.Hosts;

/// <summary>
/// Debian's nginx in front of a hosts environment, on this machine with its own prefix under the state folder (never
/// the system's service): listens on the environment's public port on loopback and passes each request to the hosts
/// in its upstream file. A switch rewrites that file, has <c>nginx -t</c> check the whole configuration (a failing
/// one is put back, so the running nginx never sees it) and reloads: nginx's old workers finish the requests they hold.
/// </summary>
internal sealed class NginxBalancer(string folder, int port, Action<string> log)
{
    private const string UpstreamName = "recipes_hosts";

    /// <summary>The folder with nginx.conf, upstream.conf, the pid file, logs and temp folders.</summary>
    public string Folder { get; } = folder;

    public string PidFile => Path.Combine(Folder, "nginx.pid");

    /// <summary>The team's file of directives for the proxying location (<c>balancer.include</c>), or null.</summary>
    public string? Include { get; init; }

    private string IncludeCopy => Path.Combine(Folder, "location.conf");

    private string Config => Path.Combine(Folder, "nginx.conf");

    private string Upstream => Path.Combine(Folder, "upstream.conf");

    /// <summary>The servers nginx passes requests to now (<c>address:port</c>, as the upstream file lists them).</summary>
    public IReadOnlyList<string> Servers() => File.Exists(Upstream)
        ? [.. File.ReadLines(Upstream).Select(line => line.Trim()).Where(line => line.StartsWith("server ", StringComparison.Ordinal)).Select(line => line.Split(' ')[1])]
        : [];

    /// <summary>The master's pid, when it runs.</summary>
    public int? RunningPid() =>
        File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null;

    /// <summary>
    /// Sends all traffic to <paramref name="servers"/> (<c>address:port</c>, equal weights): rewrites the upstream file,
    /// checks the configuration with <c>nginx -t</c> and reloads, or starts nginx when it does not run.
    /// </summary>
    /// <returns>How long the switch took, from writing the file to the last old worker gone.</returns>
    /// <exception cref="RecipeException">nginx -t refused the configuration (the old file is back, nothing was reloaded) or nginx did not start.</exception>
    public Task<TimeSpan> SwitchAsync(IReadOnlyList<string> servers, CancellationToken cancellationToken) =>
        ApplyAsync([.. servers.Select(server => (server, 1))], cancellationToken);

    /// <summary>The access log, in <see cref="NginxAccessLog.Format"/>: which server answered each request, with what.</summary>
    public string AccessLog => Path.Combine(Folder, "access.log");

    /// <summary>
    /// Sends traffic to <paramref name="servers"/> in proportion to their weights (each at least 1), as
    /// <see cref="SwitchAsync"/> does; once it returns, no request goes to a server left out.
    /// </summary>
    public async Task<TimeSpan> ApplyAsync(IReadOnlyList<(string Server, int Weight)> servers, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // Every file nginx reads is kept as it was until nginx -t accepts the new set: a refused one is put back
        // whole, so that nothing on disk differs from what the running nginx serves.
        var previous = new[] { Config, Upstream, IncludeCopy }.ToDictionary(file => file, file => File.Exists(file) ? File.ReadAllText(file) : null);
        WriteConfig();
        File.WriteAllText(Upstream, string.Concat(servers.Select(entry => string.Create(CultureInfo.InvariantCulture, $"server {entry.Server} weight={entry.Weight} max_fails=0;\n"))));
        var test = await NginxAsync(cancellationToken, "-t");
        if (test.ExitCode != 0)
        {
            foreach (var (file, text) in previous)
            {
                if (text is null)
                {
                    File.Delete(file);
                }
                else
                {
                    File.WriteAllText(file, text);
                }
            }

            throw new RecipeException($"nginx -t refused the new configuration ({Config}{(Include is null ? string.Empty : $" with {Include}")}), so traffic was not switched and the old configuration keeps serving: {LastLine(test.Output)}");
        }

        if (RunningPid() is not { } master)
        {
            AppendHistory(servers);
            var start = await NginxAsync(cancellationToken);
            return start.ExitCode == 0 && RunningPid() is not null
                ? clock.Elapsed
                : throw new RecipeException($"nginx did not start on 127.0.0.1:{port}: {LastLine(start.Output)}; see {Path.Combine(Folder, "error.log")}");
        }

        AppendHistory(servers);
        var oldWorkers = Children(master);
        var reload = await NginxAsync(cancellationToken, "-s", "reload");
        if (reload.ExitCode != 0)
        {
            throw new RecipeException($"nginx -s reload failed: {LastLine(reload.Output)}");
        }

        // The switch is whole once no old worker is left: until then they still finish requests to the old servers.
        var deadline = Stopwatch.StartNew();
        while (oldWorkers.Any(pid => Directory.Exists($"/proc/{pid}")) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, cancellationToken);
        }

        if (oldWorkers.Where(pid => Directory.Exists($"/proc/{pid}")).ToList() is { Count: > 0 } lingering)
        {
            log($"nginx's old worker(s) {string.Join(", ", lingering)} still hold requests after 30 s; what they hold to a server now left out may fail when it stops");
        }

        return clock.Elapsed;
    }

    /// <summary>Every upstream nginx was given, one line each (<c>address:port*weight ...</c>): what served when, for an audit or a test.</summary>
    public string UpstreamHistory => Path.Combine(Folder, "upstream.history");

    private void AppendHistory(IReadOnlyList<(string Server, int Weight)> servers) =>
        File.AppendAllText(UpstreamHistory, string.Join(' ', servers.Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.Server}*{entry.Weight}"))) + "\n");

    /// <summary>Stops nginx (fast shutdown); true when it ran.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        if (RunningPid() is not { } master)
        {
            return false;
        }

        await NginxAsync(cancellationToken, "-s", "quit");
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{master}") && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    private void WriteConfig()
    {
        foreach (var kind in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(Folder, "temp", kind));
        }

        // Workers run as the build's user (root in CI containers), who owns this folder, not as nobody.
        var user = Environment.UserName == "root" ? "user root root;\n" : string.Empty;
        var temp = Path.Combine(Folder, "temp");
        if (Include is not null)
        {
            File.Copy(Include, IncludeCopy, overwrite: true);
        }
        else
        {
            File.Delete(IncludeCopy);
        }

        var include = Include is null ? string.Empty : $"include {IncludeCopy};";
        File.WriteAllText(Config, string.Create(CultureInfo.InvariantCulture, $$"""
            {{user}}worker_processes 1;
            pid {{PidFile}};
            error_log {{Path.Combine(Folder, "error.log")}} warn;
            events { worker_connections 1024; }
            http {
                {{NginxAccessLog.Format}}
                access_log {{AccessLog}} recipes;
                # A reload's old workers close their idle keep-alive connections at once: a request a client sends on
                # one as it closes is reset, and HttpClient does not resend it. One request per connection never races.
                keepalive_timeout 0;
                client_body_temp_path {{temp}}/client_body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                upstream {{UpstreamName}} {
                    include {{Upstream}};
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://{{UpstreamName}};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_next_upstream error timeout http_502 http_503;
                        proxy_connect_timeout 2s;
                        {{include}}
                    }
                }
            }

            """));
    }

    private async Task<(int ExitCode, string Output)> NginxAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var info = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // nginx outlives the build: it gets the allowlisted variables only, never the SSH key's or a secret's.
        info.Environment.Clear();
        foreach (var (name, value) in Local.ProcessEnvironment.For(Local.ProcessEnvironment.Current(), new Dictionary<string, string>()))
        {
            info.Environment[name] = value;
        }

        foreach (var argument in (string[])["-p", Folder, "-c", Config, "-e", Path.Combine(Folder, "error.log"), .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new RecipeException("nginx could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await output) + (await error));
    }

    private static string Executable() =>
        new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new RecipeException("nginx is not installed on this machine (the hosts target's balancer): install it, for example apt-get install nginx.");

    private static int[] Children(int pid)
    {
        var file = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(file) ? [.. File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)] : [];
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    /// <summary>Logs a line for the build.</summary>
    public void Log(string line) => log(line);
}
