namespace Recipes;

/// <summary>The dotnet executable that runs the tools and releases the recipe starts out of process.</summary>
internal static class DotnetHost
{
    /// <summary>
    /// The one running this process when it is dotnet (so the same installation runs GitVersion, the router and the
    /// releases), else the SDK's DOTNET_HOST_PATH, else whatever dotnet is on PATH.
    /// </summary>
    public static string Path()
    {
        var current = Environment.ProcessPath;
        if (current is not null && System.IO.Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
    }
}
