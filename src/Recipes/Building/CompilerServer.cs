using System.ComponentModel;
using System.Security.Cryptography;
using Recipes.Discovery;
using Recipes.Versioning;

namespace Recipes.Building;

/// <summary>
/// A C# and Visual Basic compiler server (VBCSCompiler) of one stage's own: the stage's builds compile every project
/// in it, under a pipe name that no other build shares, and it is stopped when the stage ends, failed or not.
/// Without a server each project's compile is a new compiler process that loads and JIT-compiles Roslyn and its
/// analyzers again, 2-3 s of CPU per project: what a machine that sets UseSharedCompilation=false gets. CI images set
/// it so that no server outlives the job or is shared between jobs; this one is neither (the stage's global properties
/// override the variable). The setting compiler-server=false leaves every compile in a process of its own.
/// </summary>
internal sealed class CompilerServer : IDisposable
{
    /// <summary>How long the shutdown may take: it waits for the compiles in progress, which a failed build can leave.</summary>
    private static readonly TimeSpan ShutdownLimit = TimeSpan.FromSeconds(30);

    private readonly Action<string> _log;
    private bool _stopped;

    private CompilerServer(string? pipeName, Action<string> log)
    {
        PipeName = pipeName;
        _log = log;
    }

    /// <summary>The name of the server's pipe (a socket under the temporary folder outside Windows); null when the stage has none.</summary>
    public string? PipeName { get; }

    /// <summary>The MSBuild properties that send a build's compiles to this server; none when the stage has none.</summary>
    public IReadOnlyDictionary<string, string> Properties => PipeName is null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["UseSharedCompilation"] = "true",
            ["SharedCompilationId"] = PipeName,
        };

    /// <summary>A server for one stage's builds when <paramref name="enabled"/>, else none (every compile in a process of its own).</summary>
    /// <param name="enabled">Whether the stage gets a server: the compiler-server setting, unless the team sets UseSharedCompilation itself.</param>
    /// <param name="log">Where to say what happens to the server (the build's verbose log).</param>
    public static CompilerServer ForStage(bool enabled, Action<string> log)
    {
        if (!enabled)
        {
            return new CompilerServer(null, log);
        }

        // Short: Roslyn makes a socket path of it, and those are limited to about 100 characters.
        var server = new CompilerServer($"recipes-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}", log);
        log($"Compiling in a compiler server of this stage's own (pipe {server.PipeName}), stopped when the stage ends; compiler-server=false compiles each project in a process of its own");
        return server;
    }

    /// <summary>
    /// Stops the server, if a compile started it; stopping one that never started costs a tenth of a second. A server
    /// left behind (this process killed) stops by itself after Roslyn's ten idle minutes.
    /// </summary>
    public void Dispose()
    {
        if (PipeName is null || _stopped)
        {
            return;
        }

        _stopped = true;
        var sdk = MSBuildRegistration.SdkDirectory();
        var server = sdk is null ? null : Path.Combine(sdk, "Roslyn", "bincore", "VBCSCompiler.dll");
        if (server is null || !File.Exists(server))
        {
            _log($"Could not stop the compiler server {PipeName}: no VBCSCompiler.dll under the SDK ({sdk ?? "not known"}); it stops by itself after ten idle minutes");
            return;
        }

        try
        {
            var result = ToolProcess.Run(DotnetHost.Path(), ["exec", server, "-shutdown", $"-pipename:{PipeName}"], sdk!, ShutdownLimit, new Dictionary<string, string?>());
            _log(result.ExitCode == 0
                ? $"Stopped the compiler server {PipeName}"
                : $"Could not stop the compiler server {PipeName} (exit code {result.ExitCode}: {result.Error.Trim()}); it stops by itself after ten idle minutes");
        }
        catch (Exception exception) when (exception is TimeoutException or Win32Exception)
        {
            _log($"Could not stop the compiler server {PipeName} ({exception.Message}); it stops by itself after ten idle minutes");
        }
    }
}
