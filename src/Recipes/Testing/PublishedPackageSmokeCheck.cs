using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Versioning;
using Recipes.Artifacts;
using Recipes.Deployment.Local;
using Recipes.Building;
using Recipes.Versioning;

namespace Recipes.Testing;

/// <summary>
/// Checks a published library as a stranger would use it, needing nothing from the team: a fresh consumer project
/// references the package by exact version, is restored (the package from the checked copy, its dependencies from the
/// repository's own NuGet sources), built and run, and loads every assembly of the package's lib folder with all its
/// types, so a dependency missing from the feed or a bad assembly fails here rather than in a consumer's build.
/// </summary>
/// <param name="feedName">The run's feed, as the log names it.</param>
/// <param name="packagesFolder">The packages folder the checked artifacts are installed in (see <see cref="CheckedArtifacts"/>).</param>
/// <param name="checkedFolder">The checked .nupkg files, a restore source.</param>
/// <param name="workFolder">Holds one consumer project per package; it must lie in the repository so its NuGet.config applies.</param>
/// <param name="properties">MSBuild properties for the consumer's restore and build (the run's msbuild-properties).</param>
internal sealed class PublishedPackageSmokeCheck(string feedName, string packagesFolder, string checkedFolder, string workFolder, IEnumerable<KeyValuePair<string, string>> properties)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>The framework of the runtime running the build, which the installed SDK can build for and run.</summary>
    internal static NuGetFramework RuntimeFramework { get; } = NuGetFramework.Parse($"net{Environment.Version.Major}.0");

    /// <summary>Checks one artifact; returns what was checked, in one line.</summary>
    /// <exception cref="RecipeException">The package cannot be restored, built against or loaded; the message names it, its version and the first error.</exception>
    public string Check(ArtifactEntry artifact)
    {
        var version = NuGetVersion.Parse(artifact.Version);
        var installed = new VersionFolderPathResolver(packagesFolder).GetInstallPath(artifact.Id, version);
        var name = $"{artifact.Id} {version.ToNormalizedString()}";
        if (artifact.Kind == "deployable")
        {
            // Deploy runs the entry assembly with the app's own published dependencies, so that is what must be there.
            var app = Path.Combine(installed, ReleaseStore.AppFolder.TrimEnd('/'));
            string entry;
            try
            {
                entry = Directory.Exists(app)
                    ? ReleaseStore.FindEntryAssembly(app, artifact.Id, artifact.Version)
                    : throw new RecipeException($"it has no {ReleaseStore.AppFolder} folder; pack the app with the Package stage");
            }
            catch (RecipeException ex)
            {
                throw new RecipeException($"Smoke check failed for {name} (deployable): {ex.Message}", ex);
            }

            return NativeExecutables.IsNative(entry)
                ? $"{name} (deployable): native executable {Path.GetFileName(entry)} present (Native AOT); not run here, its deployment starts it"
                : $"{name} (deployable): entry assembly {Path.GetFileName(entry)} present with its runtimeconfig; not loaded here, its deployment starts it";
        }

        using var reader = new PackageFolderReader(installed);
        if (ChooseFramework(reader.GetLibItems()) is not { } chosen)
        {
            var frameworks = reader.GetLibItems().Select(g => g.TargetFramework.GetShortFolderName()).ToList();
            return frameworks.Count == 0
                ? $"{name}: not loaded, it has no lib/ assemblies (nothing a consumer loads)"
                : $"{name}: not loaded, its lib/ frameworks ({string.Join(", ", frameworks)}) cannot run on .NET {Environment.Version.Major} here";
        }

        var (framework, assemblies) = chosen;
        var output = Run(artifact.Id, version, framework, assemblies, name);
        return $"{name}: restored from {feedName}, {output} ({framework.GetShortFolderName()})";
    }

    /// <summary>
    /// The consumer's framework and the assemblies it gets: the runtime's own framework when the package supports it
    /// (directly or through compatibility, e.g. netstandard2.0); null when no lib folder holds a dll this runtime can load.
    /// </summary>
    internal static (NuGetFramework Framework, IReadOnlyList<string> Assemblies)? ChooseFramework(IEnumerable<FrameworkSpecificGroup> libItems)
    {
        var nearest = NuGetFrameworkUtility.GetNearest(libItems.ToList(), RuntimeFramework, group => group.TargetFramework);
        var assemblies = nearest?.Items.Where(item => item.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileName).OfType<string>().ToList();
        return assemblies is { Count: > 0 } ? (RuntimeFramework, assemblies) : null;
    }

    private string Run(string id, NuGetVersion version, NuGetFramework framework, IReadOnlyList<string> assemblies, string name)
    {
        var folder = Path.Combine(workFolder, id);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        SmokeConsumer.Write(folder, id, version.ToNormalizedString(), framework.GetShortFolderName());
        var build = Dotnet(
            ["build", Path.Combine(folder, SmokeConsumer.ProjectFile), "-nologo", "-c", "Release", "-o", Path.Combine(folder, "bin"),
             $"-p:RestorePackagesPath={packagesFolder}", $"-p:RestoreAdditionalProjectSources={checkedFolder}", "-p:RestoreNoHttpCache=true",
             .. properties.Select(p => $"-p:{p.Key}={p.Value}")],
            folder);
        if (build.ExitCode != 0)
        {
            var errors = new BuildOutputErrors();
            foreach (var line in (build.Output + "\n" + build.Error).Split('\n'))
            {
                errors.Observe(line);
            }

            throw new RecipeException(errors.Describe($"Smoke check failed for {name}: a consumer project referencing [{version.ToNormalizedString()}] did not restore and build"));
        }

        var run = Dotnet([Path.Combine(folder, "bin", SmokeConsumer.AssemblyFile), .. assemblies], folder);
        if (run.ExitCode != 0)
        {
            var first = (run.Error + "\n" + run.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {run.ExitCode}";
            throw new RecipeException($"Smoke check failed for {name}: {first}");
        }

        return run.Output.Trim();
    }

    private static ToolResult Dotnet(IEnumerable<string> arguments, string folder) =>
        ToolProcess.Run(DotnetHost.Path(), arguments, folder, Limit, new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
}
