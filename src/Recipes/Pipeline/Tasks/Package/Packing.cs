using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Pack;
using ProcessSettings = Cake.Core.IO.ProcessSettings;
using Recipes.Artifacts;
using Recipes.Discovery;
using Recipes.Feeds;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// The work of the Package stage that makes files: packs each library and packs each deployable app's publish output,
/// with this commit's version, into the folders given (artifacts/, or a staging folder when packing beside the tests).
/// </summary>
internal static class Packing
{
    /// <summary>Packs everything packable into <paramref name="packages"/> (publishing apps under <paramref name="publish"/>); returns the manifest's entries.</summary>
    /// <param name="context">The build.</param>
    /// <param name="packages">Where the packages go (created by the caller).</param>
    /// <param name="publish">Where each app's publish output goes, a folder per app.</param>
    /// <param name="output">Takes the tools' output lines instead of the log (packing beside the tests, whose output must not mix with it); null for the log.</param>
    public static List<ArtifactEntry> PackInto(RecipeContext context, string packages, string publish, Action<string>? output = null)
    {
        var version = context.Version;
        foreach (var library in context.ProjectsOf(ProjectKind.Library))
        {
            var settings = new DotNetPackSettings
            {
                Configuration = context.Settings.Configuration,
                NoBuild = true,
                NoRestore = true,
                OutputDirectory = packages,
                MSBuildSettings = VersionProperties.For(version, context.Settings),
            };
            settings.SetupProcessSettings = Redirected(output);
            context.DotNetPack(library.Path, context.Settings.ToolHooks.Apply(nameof(Package), library.Path, settings));
        }

        var entries = MainPackages(packages).Select(path => Entry(path, "library")).ToList();
        foreach (var app in context.ProjectsOf(ProjectKind.Deployable))
        {
            var folder = Path.Combine(publish, app.Name);
            var settings = Package.PublishSettings(context.Settings, version, folder, app.PublishesNativeAot, context.Environment.GetEnvironmentVariable("PATH"));
            settings.SetupProcessSettings = Redirected(output);
            context.DotNetPublish(app.Path, context.Settings.ToolHooks.Apply(nameof(Package), app.Path, settings));
            MigrationChecks.RequirePublished(app, folder);
            var package = DeployablePackager.Pack(folder, app.PackageId ?? app.Name, version.SemVer, "Recipes", packages, VersionProperties.DeterministicTimestamp(version));
            entries.Add(Entry(package, "deployable"));
        }

        return entries;
    }

    /// <summary>Sends a tool's output to <paramref name="output"/>, or leaves it to the log when null.</summary>
    private static Action<ProcessSettings>? Redirected(Action<string>? output) =>
        output is null
            ? null
            : process =>
            {
                process.RedirectStandardOutput = true;
                process.RedirectedStandardOutputHandler = line =>
                {
                    if (line is not null)
                    {
                        output(line);
                    }

                    return line;
                };
            };

    /// <summary>Packages in the folder, without symbol packages, which share the main package's id and version.</summary>
    private static IEnumerable<string> MainPackages(string folder) =>
        Directory.EnumerateFiles(folder, "*.nupkg")
            .Where(f => !f.EndsWith(".symbols.nupkg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    private static ArtifactEntry Entry(string path, string kind)
    {
        var package = PackageFiles.Read(path);
        return new ArtifactEntry(package.Id, package.Version, kind, Path.GetFileName(path), package.Sha512);
    }
}
