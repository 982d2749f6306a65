using Cake.Core;
using Cake.Core.IO;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Cake's environment with the variables a host was given (<c>UseEnvironment</c>) instead of the process's, so that
/// Cake.Common's aliases that read variables (the build system, <c>EnvironmentVariable</c>) see what the host sees.
/// Such a host keeps its working directory to itself too: Cake's would change the whole process's, under the other
/// hosts that run beside it in the same process.
/// </summary>
internal sealed class HostEnvironment(ICakeEnvironment inner, EnvironmentVariables variables) : ICakeEnvironment
{
    private DirectoryPath? _workingDirectory;

    public DirectoryPath WorkingDirectory
    {
        get => _workingDirectory ?? inner.WorkingDirectory;
        set => _workingDirectory = value;
    }

    public DirectoryPath UserHomeDirectory => inner.UserHomeDirectory;

    public DirectoryPath ApplicationRoot => inner.ApplicationRoot;

    public ICakePlatform Platform => inner.Platform;

    public ICakeRuntime Runtime => inner.Runtime;

    public DirectoryPath GetSpecialPath(SpecialPath path) => inner.GetSpecialPath(path);

    public string? GetEnvironmentVariable(string variable) => variables.Get(variable);

    /// <remarks>
    /// Names on Linux differ by case alone (<c>http_proxy</c> beside <c>HTTP_PROXY</c> is common); Cake's dictionary
    /// ignores case, so the first of such names wins, as in Cake's own environment, instead of the host failing.
    /// </remarks>
    public IDictionary<string, string> GetEnvironmentVariables()
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in variables.Names)
        {
            all.TryAdd(name, variables.Get(name) ?? string.Empty);
        }

        return all;
    }
}
