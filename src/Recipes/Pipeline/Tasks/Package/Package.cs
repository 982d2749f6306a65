using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Publish;
using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Artifacts.Images;
using Recipes.Discovery;
using Recipes.Feeds;
using Recipes.Hosting;
using Recipes.Pipeline.Caching;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Packs the libraries and packs each deployable app's publish output, all with this commit's version, and writes the
/// artifact manifest that later stages and other machines act on.
/// </summary>
[TaskName(nameof(Package))]
[TaskDescription("Pack libraries and deployable apps; write artifacts/manifest.json")]
[IsDependentOn(typeof(FastTests))]
public sealed class Package : FrostingTask<RecipeContext>
{
    /// <inheritdoc />
    public override bool ShouldRun(RecipeContext context) =>
        context.Projects.Any(p => p.Kind is ProjectKind.Library or ProjectKind.Deployable)
        || Skip("no packable libraries or deployable apps in the solution");

    /// <inheritdoc />
    public override void Run(RecipeContext context)
    {
        // Packed beside the fast tests, when they ran: taken only now, after they passed.
        var packedAhead = context.PackingBesideTests;
        context.PackingBesideTests = null;
        try
        {
            CheckImagesCanBePushed(context);
            foreach (var app in context.ProjectsOf(ProjectKind.Deployable))
            {
                MigrationChecks.RefuseDestructiveExpand(app, context.RepositoryRoot);
            }
        }
        catch
        {
            packedAhead?.Discard();
            throw;
        }

        var layout = context.Artifacts;
        if (packedAhead is not null)
        {
            // Not in the cache when it started; said here, where the stage's log is.
            _ = CachedStages.Find(context, nameof(Package), packedAhead.Inputs);
            Finish(context, packedAhead.MoveInto(layout), packedAhead.Inputs);
            return;
        }

        // With a registry, images are built into docker's store, which the cache cannot replay: that run packs in full.
        var inputs = context.Settings.Registry is { Length: > 0 } ? null : CachedStages.InputsOf(context, nameof(Package));
        ResetFolder(layout.Packages);
        ResetFolder(layout.Publish);
        if (inputs is not null && CachedStages.Find(context, nameof(Package), inputs) is { } cached)
        {
            cached.RestoreInto(context.RepositoryRoot);
            var replayed = ArtifactManifest.Read(layout.Manifest);
            Announce(context, replayed with { BuildTime = DateTimeOffset.UtcNow, CiRunUrl = ContinuousIntegrationRun.Url(context.Environment.GetEnvironmentVariable) });
            return;
        }

        var entries = Packing.PackInto(context, layout.Packages, layout.Publish);
        BuildDockerfileImages(context, entries);
        Finish(context, entries, inputs);
    }

    /// <summary>Writes the manifest of <paramref name="entries"/> and keeps the stage's outputs in the cache (when <paramref name="inputs"/> is set).</summary>
    private static void Finish(RecipeContext context, IReadOnlyList<ArtifactEntry> entries, StageInputs? inputs)
    {
        var version = context.Version;
        var layout = context.Artifacts;
        Announce(context, new ArtifactManifest
        {
            Version = version.SemVer,
            Commit = version.Sha,
            Branch = version.Branch,
            BuildTime = DateTimeOffset.UtcNow,
            CiRunUrl = ContinuousIntegrationRun.Url(context.Environment.GetEnvironmentVariable),
            Artifacts = [.. entries],
        });
        if (inputs is not null)
        {
            CachedStages.Keep(context, nameof(Package), inputs, [layout.Packages, layout.Publish, layout.Manifest]);
        }
    }

    /// <summary>
    /// How a deployable is published: from Compile's output; or, ReadyToRun, built again for this machine's runtime
    /// identifier (ReadyToRun code is per platform, and Compile built none), still framework-dependent; or, for an app
    /// that sets <c>PublishAot</c>, built again and compiled to a native executable for this machine's platform (the
    /// app's own choice, whatever ready-to-run says), linking with what the build's <c>PATH</c> (<paramref name="path"/>) has.
    /// </summary>
    internal static DotNetPublishSettings PublishSettings(RecipeSettings settings, Versioning.BuildVersion version, string output, bool nativeAot = false, string? path = null)
    {
        var rebuilt = settings.ReadyToRun || nativeAot;
        var publish = new DotNetPublishSettings
        {
            Configuration = settings.Configuration,
            NoBuild = !rebuilt,
            NoRestore = !rebuilt,
            OutputDirectory = output,
            MSBuildSettings = VersionProperties.For(version, settings),
        };
        if (nativeAot)
        {
            publish.Runtime = PortableRuntimeIdentifier();
            // The compiler links with clang unless told otherwise; where only gcc is installed (as on many build
            // images), gcc links as well, so the build does not stop for a missing clang. The team's own choice wins.
            if (!settings.MSBuildProperties.ContainsKey(NativeLinkerProperty) && !OperatingSystem.IsWindows()
                && ProgramsOnPath.Find("clang", path) is null && ProgramsOnPath.Find("gcc", path) is not null)
            {
                publish.MSBuildSettings.Properties[NativeLinkerProperty] = ["gcc"];
            }
        }
        else if (settings.ReadyToRun)
        {
            publish.Runtime = PortableRuntimeIdentifier();
            publish.SelfContained = false;
            publish.MSBuildSettings.Properties["PublishReadyToRun"] = ["true"];
        }

        return publish;
    }

    /// <summary>The Native AOT compiler's choice of linker (clang by default on Linux and macOS).</summary>
    internal const string NativeLinkerProperty = "CppCompilerAndLinker";

    /// <summary>
    /// This machine's portable runtime identifier (linux-x64, osx-arm64, ...): a distribution's own build of .NET names
    /// itself (ubuntu.24.04-x64), which the SDK no longer resolves.
    /// </summary>
    internal static string PortableRuntimeIdentifier()
    {
        var own = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var system = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : own.Contains("musl", StringComparison.Ordinal) ? "linux-musl"
            : "linux";
        return $"{system}-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
    }

    /// <summary>Writes the manifest that later stages and other machines act on, and names each artifact.</summary>
    private static void Announce(RecipeContext context, ArtifactManifest manifest)
    {
        context.Manifest = manifest;
        manifest.Write(context.Artifacts.Manifest);
        foreach (var entry in manifest.Artifacts)
        {
            context.Log.Information("{0} {1} ({2}) sha512:{3}...", entry.Id, entry.Version, entry.Kind, entry.Sha512[..16]);
        }

        context.Summary.Set("Artifacts", string.Join(", ", manifest.Artifacts.Select(e => $"{e.Id} {e.Version} (sha512 {e.Sha512[..12]})")));
    }

    /// <summary>
    /// With a registry, every deployable becomes an image in Publish; one that cannot, or a registry that cannot be
    /// reached, is named before anything is packed, so a run that cannot push leaves no manifest behind.
    /// </summary>
    private static void CheckImagesCanBePushed(RecipeContext context)
    {
        if (context.Settings.Registry is not { Length: > 0 } registry)
        {
            return;
        }

        // The SDK's container publish reuses Compile's framework-dependent output, which a Native AOT app does not deploy.
        if (context.ProjectsOf(ProjectKind.Deployable).FirstOrDefault(p => p.PublishesNativeAot && DockerfileImages.DockerfileOf(p) is null) is { } native)
        {
            throw new RecipeConfigurationException(
                $"{native.Name} ({native.Path}) publishes Native AOT (PublishAot), and Recipes builds no container image of a Native AOT app without a Dockerfile yet; "
                + "give it a Dockerfile beside the project, unset registry, or set PublishAot to false.");
        }

        if (context.ProjectsOf(ProjectKind.Deployable).FirstOrDefault(p => !p.SupportsContainers && DockerfileImages.DockerfileOf(p) is null) is not { } app)
        {
            using var images = new AppImages(context, registry);
            images.CheckReachableAsync(CancellationToken.None).GetAwaiter().GetResult();
            return;
        }

        throw new RecipeConfigurationException(
            $"{app.Name} ({app.Path}) cannot be published as a container image to {registry}: the SDK's container support is off for it "
            + "(EnableSdkContainerSupport is not true, or IsPublishable is false); set <EnableSdkContainerSupport>true</EnableSdkContainerSupport> in it, or unset registry.");
    }

    /// <summary>
    /// With a registry, the deployables that have a Dockerfile are built here, before the manifest is written: a
    /// Dockerfile that fails leaves no manifest, so Publish pushes nothing. Publish pushes the image built here.
    /// </summary>
    private static void BuildDockerfileImages(RecipeContext context, IReadOnlyList<ArtifactEntry> entries)
    {
        if (context.Settings.Registry is not { Length: > 0 } registry)
        {
            return;
        }

        using var images = new DockerfileImages(context);
        var host = ImageReferences.Split(registry).Host;
        foreach (var app in context.ProjectsOf(ProjectKind.Deployable).Where(p => DockerfileImages.DockerfileOf(p) is not null))
        {
            var entry = entries.Single(e => e.Kind == "deployable" && e.Id.Equals(app.PackageId ?? app.Name, StringComparison.OrdinalIgnoreCase));
            var reference = $"{host}/{ImageReferences.RepositoryFor(registry, entry.Id)}:{ImageReferences.TagFor(entry.Version)}";
            images.BuildAsync(app, entry, reference, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    internal static void ResetFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
    }
}
