using System.Diagnostics;
using Npgsql;

namespace Recipes.Tests.Support;

/// <summary>
/// One PostgreSQL 15 per test run (<c>initdb</c> and <c>postgres</c> from PATH), in a temporary folder on a loopback
/// port, with a password. A reaper shell outlives the test process and stops the server and removes the folder however
/// that process ends. As root, the server runs as the <c>postgres</c> user, which PostgreSQL requires.
/// </summary>
internal sealed class PostgresServer
{
    public const string Password = "pg-secret-4e7a";

    private const string ReaperScript = """
        while kill -0 "$OWNER" 2>/dev/null; do sleep 1; done
        pid=$(head -n 1 "$ROOT/data/postmaster.pid" 2>/dev/null)
        if [ -n "$pid" ]; then
          kill -INT "$pid" 2>/dev/null
          for attempt in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
          kill -KILL "$pid" 2>/dev/null
        fi
        rm -rf "$ROOT"
        """;

    private static readonly Lazy<PostgresServer> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private int _databases;

    private PostgresServer(string root, int port)
    {
        Root = root;
        Port = port;
    }

    /// <summary>The run's server; the first caller starts it.</summary>
    public static PostgresServer Shared => Started.Value;

    public string Root { get; }

    public int Port { get; }

    /// <summary>A new, empty database of its own, as a connection string with the password.</summary>
    public string CreateDatabase()
    {
        var name = $"shop{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection(Connection("postgres")))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name};";
            command.ExecuteNonQuery();
        }

        return Connection(name);
    }

    private string Connection(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=recipes;Password={Password};Database={database};Pooling=false";

    private static PostgresServer Start()
    {
        var root = Directory.CreateTempSubdirectory("recipes-postgres-").FullName;
        var asRoot = Environment.UserName == "root";
        File.WriteAllText(Path.Combine(root, "password"), Password);
        if (asRoot)
        {
            Run("chown", "-R", "postgres", root);
        }

        var server = new PostgresServer(root, PublicPorts.Next());
        StartReaper(root);
        Run(Command(asRoot, "initdb", "-D", Path.Combine(root, "data"), "-U", "recipes", "--auth=scram-sha-256", $"--pwfile={Path.Combine(root, "password")}", "-E", "UTF8"));
        var info = new ProcessStartInfo(asRoot ? "runuser" : "postgres") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Command(asRoot, "postgres", "-D", Path.Combine(root, "data"), "-h", "127.0.0.1", "-p", server.Port.ToString(), "-k", root).Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start postgres.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(server.Connection("postgres"));
                connection.Open();
                return server;
            }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string[] Command(bool asRoot, params string[] command) =>
        asRoot ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static void Run(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {output.Result}{error}");
        }
    }

    /// <summary>Stops the server and removes its folder once the test process is gone, however it ends.</summary>
    private static void StartReaper(string root)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ReaperScript);
        info.Environment["OWNER"] = Environment.ProcessId.ToString();
        info.Environment["ROOT"] = root;
        Process.Start(info)?.Dispose();
    }
}
