using Cake.Common.Tools.DotNet.MSBuild;
using Recipes.Pipeline.Settings;
using Recipes.Versioning;

namespace Recipes.Pipeline.Tasks;

/// <summary>The MSBuild properties that stamp a version into assemblies and packages, the same for build, pack and publish.</summary>
internal static class VersionProperties
{
    /// <summary>Seconds since the Unix epoch of the commit, as NuGet's DeterministicTimestamp takes them.</summary>
    public static string DeterministicTimestamp(BuildVersion version) =>
        (version.CommitDate ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The version's properties and the team's msbuild-properties; the version's win, so every step stamps the same one.</summary>
    public static DotNetMSBuildSettings For(BuildVersion version, RecipeSettings settings) =>
        MSBuildPropertiesText.Apply(settings.MSBuildProperties, For(version));

    public static DotNetMSBuildSettings For(BuildVersion version)
    {
        var settings = new DotNetMSBuildSettings
        {
            Version = version.SemVer,
            PackageVersion = version.SemVer,
            AssemblyVersion = version.AssemblyVersion,
            FileVersion = version.FileVersion,
            InformationalVersion = version.InformationalVersion,
            // Paths inside the binaries no longer depend on where the repository was checked out.
            ContinuousIntegrationBuild = true,
        };

        // GitVersion's informational version already carries the commit; stop the SDK from appending it again.
        settings.Properties["IncludeSourceRevisionInInformationalVersion"] = ["false"];

        // Zip entries dated by the commit, not the clock: packing a commit twice gives the same bytes, so a re-run
        // finds its packages already in the feed instead of conflicting with them.
        settings.Properties["DeterministicTimestamp"] = [DeterministicTimestamp(version)];
        return settings;
    }
}
