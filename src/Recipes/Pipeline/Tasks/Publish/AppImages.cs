using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Publish;
using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Artifacts.Images;
using Recipes.Discovery;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// Each deployable app as an OCI image in the team's registry, tagged with the commit's version. The SDK's
/// PublishContainer pushes it straight from Publish: building a tarball in Package instead would need a second
/// pusher, and the registry's digest of what the SDK pushed is what deployments pull.
/// </summary>
/// <remarks>
/// The SDK's images are not reproducible: it stamps the clock into the configuration (created, history) and the
/// layer keeps the published files' dates, so a rerun of one commit yields another digest. Sameness is therefore
/// decided on content: the image's version label carries the SHA-512 of the app's (deterministic) package.
/// </remarks>
internal sealed class AppImages(RecipeContext context, string registry) : IDisposable
{
    /// <summary>The label the SDK writes from ContainerVersion; it holds the version and the package's SHA-512.</summary>
    internal const string ContentLabel = "org.opencontainers.image.version";

    private readonly RegistryClient _client = new(registry, context.RegistryCredentials, InsecureRegistries(context));
    private readonly DockerfileImages _dockerfileImages = new(context);

    /// <summary>What a push of one app is about.</summary>
    internal sealed record Plan(DiscoveredProject Project, ArtifactEntry Entry, string Repository, string Tag, string ContentKey, string? Existing);

    /// <summary>Fails in one line when the registry cannot be reached or refuses the credentials.</summary>
    public Task CheckReachableAsync(CancellationToken cancellation) =>
        _client.CheckReachableAsync(context.Settings.RegistryCredentialsVariable, cancellation);

    /// <summary>Fails in one line when the registry cannot take the images, or holds one of the tags with other content; pushes nothing.</summary>
    public async Task<IReadOnlyList<Plan>> CheckAsync(ArtifactManifest manifest, CancellationToken cancellation)
    {
        await CheckReachableAsync(cancellation).ConfigureAwait(false);
        var plans = new List<Plan>();
        foreach (var entry in manifest.Artifacts.Where(a => a.Kind == "deployable"))
        {
            var project = context.ProjectsOf(ProjectKind.Deployable).FirstOrDefault(p => (p.PackageId ?? p.Name).Equals(entry.Id, StringComparison.OrdinalIgnoreCase))
                ?? throw new RecipeException($"The manifest lists the deployable {entry.Id}, which no project of the solution packs; run the commit stage again.");
            var repository = ImageReferences.RepositoryFor(registry, entry.Id);
            var tag = ImageReferences.TagFor(entry.Version);
            var contentKey = ContentKey(entry);
            var existing = await _client.DigestAsync(repository, tag, cancellation).ConfigureAwait(false);
            if (existing is not null)
            {
                var labels = await _client.LabelsAsync(repository, existing, cancellation).ConfigureAwait(false);
                if (!labels.TryGetValue(ContentLabel, out var label) || label != contentKey)
                {
                    throw new RecipeException(
                        $"The registry {_client.Host} already has {repository}:{tag} ({existing}) with other content than this build of {entry.Id} {entry.Version}; "
                        + "image tags are immutable: commit a change so that a new version is built.");
                }
            }

            plans.Add(new Plan(project, entry, repository, tag, contentKey, existing));
        }

        return plans;
    }

    /// <summary>Pushes the images not yet there; returns the manifest with each image's repository, tag and the registry's digest.</summary>
    public async Task<ArtifactManifest> PushAsync(ArtifactManifest manifest, IReadOnlyList<Plan> plans, CancellationToken cancellation)
    {
        var images = new Dictionary<string, ContainerImage>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            var name = $"{_client.Host}/{plan.Repository}";
            var digest = plan.Existing;
            if (digest is null)
            {
                await PushOneAsync(plan, cancellation).ConfigureAwait(false);
                digest = await _client.DigestAsync(plan.Repository, plan.Tag, cancellation).ConfigureAwait(false)
                    ?? throw new RecipeException($"The registry {_client.Host} has no {plan.Repository}:{plan.Tag} after the push; check the push's output above.");
                context.Log.Information("{0}:{1}: pushed as {2}", name, plan.Tag, digest);
            }
            else
            {
                context.Log.Information("{0}:{1}: already in the registry with the same content ({2}), nothing pushed", name, plan.Tag, digest);
            }

            images[plan.Entry.Id] = new ContainerImage(name, plan.Tag, digest);
        }

        var pushed = plans.Count(p => p.Existing is null);
        context.Summary.Set("Images", $"{_client.Host}: {pushed} pushed, {plans.Count - pushed} already there");
        return manifest with
        {
            Artifacts = [.. manifest.Artifacts.Select(a => images.TryGetValue(a.Id, out var image) ? a with { Image = image } : a)],
        };
    }

    public void Dispose()
    {
        _client.Dispose();
        _dockerfileImages.Dispose();
    }

    /// <summary>The version label: the version, then the package's SHA-512 as SemVer build metadata.</summary>
    internal static string ContentKey(ArtifactEntry entry) =>
        $"{entry.Version}{(entry.Version.Contains('+', StringComparison.Ordinal) ? "." : "+")}sha512.{entry.Sha512}";

    private static string? InsecureRegistries(RecipeContext context) =>
        context.Environment.GetEnvironmentVariable(InsecureRegistriesVariable);

    private const string InsecureRegistriesVariable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    /// <summary>A team's Dockerfile when the project has one; else the SDK's PublishContainer.</summary>
    private async Task PushOneAsync(Plan plan, CancellationToken cancellation)
    {
        if (DockerfileImages.DockerfileOf(plan.Project) is null)
        {
            PushWithSdk(plan);
        }
        else
        {
            await _dockerfileImages.PushAsync(plan, _client.Host, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The SDK's PublishContainer through the DotNetPublish alias, so that settings hooks can reach it like any publish.</summary>
    private void PushWithSdk(Plan plan)
    {
        var msbuild = VersionProperties.For(context.Version, context.Settings);
        msbuild.Targets.Add("PublishContainer");
        msbuild.Properties["ContainerRegistry"] = [_client.Host];
        msbuild.Properties["ContainerRepository"] = [plan.Repository];
        msbuild.Properties["ContainerImageTag"] = [plan.Tag];
        msbuild.Properties["ContainerVersion"] = [plan.ContentKey];
        if (context.Settings.ContainerBaseImage is { Length: > 0 } baseImage)
        {
            msbuild.Properties["ContainerBaseImage"] = [baseImage];
        }

        var settings = new DotNetPublishSettings
        {
            Configuration = context.Settings.Configuration,
            NoBuild = true,
            NoRestore = true,
            OutputDirectory = Path.Combine(context.Artifacts.Publish, plan.Project.Name),
            MSBuildSettings = msbuild,
            EnvironmentVariables = PushEnvironment(),
        };
        context.DotNetPublish(plan.Project.Path, context.Settings.ToolHooks.Apply(nameof(Publish), plan.Project.Path, settings));
    }

    /// <summary>The SDK reads the registry's credentials and plain-HTTP registries from these variables only; they reach no other process.</summary>
    private Dictionary<string, string?> PushEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (_client.UsesPlainHttp)
        {
            // The SDK splits the list on ';' only.
            var listed = (InsecureRegistries(context) ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            environment[InsecureRegistriesVariable] = string.Join(';', listed.Append(_client.Host).Distinct(StringComparer.OrdinalIgnoreCase));
        }

        if (context.RegistryCredentials is { } credentials)
        {
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            var (user, password) = colon < 0 ? ("<token>", credentials) : (credentials[..colon], credentials[(colon + 1)..]);
            // The pull side only when the base image comes from the same registry: the credentials go nowhere else.
            var sameRegistry = context.Settings.ContainerBaseImage is { } baseImage && ImageReferences.Split(baseImage).Host == _client.Host;
            foreach (var direction in sameRegistry ? ["PUSH", "PULL"] : new[] { "PUSH" })
            {
                environment[$"DOTNET_CONTAINER_{direction}_REGISTRY_UNAME"] = user;
                environment[$"DOTNET_CONTAINER_{direction}_REGISTRY_PWORD"] = password;
            }
        }

        return environment;
    }
}
