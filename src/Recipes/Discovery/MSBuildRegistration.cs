using System.Diagnostics;
using Microsoft.Build.Locator;

namespace Recipes.Discovery;

/// <summary>
/// Points this process at the .NET SDK's own MSBuild, once. Recipes compiles against Microsoft.Build but does not
/// ship it: the SDK's copy is the one that knows the SDK's props, targets and resolvers.
/// </summary>
internal static class MSBuildRegistration
{
    private static readonly Lock Gate = new();

    private static string? _registeredSdk;

    /// <summary>
    /// The folder of the SDK whose MSBuild this process evaluates with (its compilers are under Roslyn/): the one
    /// registered here, else the one the loaded Microsoft.Build came from, else MSBUILD_EXE_PATH's; null when none is known.
    /// </summary>
    public static string? SdkDirectory()
    {
        if (_registeredSdk is { } registered)
        {
            return registered;
        }

        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => a.GetName().Name == "Microsoft.Build" && !string.IsNullOrEmpty(a.Location))?.Location
            ?? Environment.GetEnvironmentVariable("MSBUILD_EXE_PATH");
        return string.IsNullOrEmpty(loaded) ? null : Path.GetDirectoryName(loaded);
    }

    /// <summary>
    /// Registers the SDK that <c>dotnet</c> picks in <paramref name="directory"/> (so the repository's global.json
    /// counts), unless an earlier call or the host did. Must run before any method that uses Microsoft.Build types
    /// is compiled, because the JIT loads MSBuild's assemblies when it compiles such a method.
    /// </summary>
    /// <exception cref="RecipeException">No .NET SDK is installed where <c>dotnet</c> looks.</exception>
    public static void EnsureRegistered(string directory, Action<string> log)
    {
        lock (Gate)
        {
            if (MSBuildLocator.IsRegistered)
            {
                return;
            }

            if (!MSBuildLocator.CanRegister)
            {
                // The host loaded Microsoft.Build itself (it ships it, or registered another way); use that one.
                log("MSBuild is already loaded in this process; discovery uses it as loaded.");
                return;
            }

            var started = Stopwatch.StartNew();
            var options = new VisualStudioInstanceQueryOptions
            {
                DiscoveryTypes = DiscoveryType.DotNetSdk,
                WorkingDirectory = directory,
            };
            var sdk = MSBuildLocator.QueryVisualStudioInstances(options).FirstOrDefault()
                ?? throw new RecipeException(
                    $"No .NET SDK found for {directory}; install the SDK that global.json asks for, or fix DOTNET_ROOT.");

            // RegisterInstance sets MSBUILD_EXE_PATH, MSBuildExtensionsPath and MSBuildSDKsPath to this SDK. Under
            // `dotnet test` or `dotnet run` the process inherits the same variables from the CLI's MSBuild, possibly
            // for another SDK; overwriting them is what makes evaluation here use the SDK registered here.
            MSBuildLocator.RegisterInstance(sdk);
            _registeredSdk = sdk.MSBuildPath;
            log($"Using the .NET SDK {sdk.Version} at {sdk.MSBuildPath} (registered in {started.ElapsedMilliseconds} ms).");
        }
    }
}
