using System.Formats.Tar;
using Cake.Core.Diagnostics;
using Recipes.Artifacts;
using Recipes.Deployment.Docker;
using Recipes.Discovery;

namespace Recipes.Pipeline.Tasks;

/// <summary>
/// A deployable with a <c>Dockerfile</c> next to its project is built with it rather than with the SDK's
/// PublishContainer: the team's Dockerfile, the recipe's publish output as the build context (no image can be
/// assumed pullable, so no SDK image for a multi-stage build), build arguments VERSION and BASE_IMAGE.
/// </summary>
/// <remarks>
/// Through the Engine API (Docker.DotNet, as the docker target) rather than the docker CLI: the engine's messages
/// arrive typed, so the failing step is named without parsing the CLI's output, and no CLI is needed on the build machine.
/// </remarks>
internal sealed class DockerfileImages(RecipeContext context) : IDisposable
{
    /// <summary>The name the Dockerfile gets inside the build context, so that it cannot clash with a published file.</summary>
    private const string DockerfileInContext = ".recipes.Dockerfile";

    private readonly Lazy<DockerEngine> _engine = new(() => new DockerEngine(
        DockerEndpoint.Resolve(null, "", name => context.Environment.GetEnvironmentVariable(name))));

    /// <summary>The project's Dockerfile, or null when the SDK builds its image.</summary>
    public static string? DockerfileOf(DiscoveredProject project) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(project.Path)) ?? ".", "Dockerfile") is var path && File.Exists(path) ? path : null;

    /// <summary>Builds <c>reference</c> from the project's Dockerfile and publish output, labelled with the content key.</summary>
    /// <exception cref="RecipeException">The build failed: one line naming the Dockerfile and the failing step.</exception>
    public async Task BuildAsync(DiscoveredProject project, ArtifactEntry entry, string reference, CancellationToken cancellation)
    {
        var dockerfile = DockerfileOf(project) ?? throw new InvalidOperationException($"{project.Name} has no Dockerfile.");
        var publishOutput = Path.Combine(context.Artifacts.Publish, project.Name);
        using var tar = ContextTar(publishOutput, dockerfile);
        var arguments = new Dictionary<string, string> { ["VERSION"] = entry.Version };
        if (context.Settings.ContainerBaseImage is { Length: > 0 } baseImage)
        {
            arguments["BASE_IMAGE"] = baseImage;
        }

        context.Log.Information("{0}: building {1} with {2}", entry.Id, reference, dockerfile);
        var labels = new Dictionary<string, string> { [AppImages.ContentLabel] = AppImages.ContentKey(entry) };
        var failure = await _engine.Value.BuildAsync(tar, DockerfileInContext, reference, arguments, labels, line => context.Log.Verbose("{0}", line), cancellation).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new RecipeException($"{dockerfile} failed to build the image of {entry.Id} at {failure}; fix the Dockerfile (its context is the publish output {publishOutput}).");
        }
    }

    /// <summary>Pushes the image built for <paramref name="plan"/>, building it first unless the engine holds it with this content.</summary>
    public async Task PushAsync(AppImages.Plan plan, string host, CancellationToken cancellation)
    {
        var repository = $"{host}/{plan.Repository}";
        var built = await _engine.Value.InspectImageAsync($"{repository}:{plan.Tag}", cancellation).ConfigureAwait(false);
        if (built?.Config?.Labels is not { } labels || !labels.TryGetValue(AppImages.ContentLabel, out var key) || key != plan.ContentKey)
        {
            await BuildAsync(plan.Project, plan.Entry, $"{repository}:{plan.Tag}", cancellation).ConfigureAwait(false);
        }

        var error = await _engine.Value.PushAsync(repository, plan.Tag, context.RegistryCredentials, line => context.Log.Verbose("{0}", line), cancellation).ConfigureAwait(false);
        if (error is not null)
        {
            throw new RecipeException($"Pushing {repository}:{plan.Tag} (built with {DockerfileOf(plan.Project)}) failed: {error}");
        }
    }

    public void Dispose()
    {
        if (_engine.IsValueCreated)
        {
            _engine.Value.Dispose();
        }
    }

    /// <summary>
    /// The publish output as a tar, with the Dockerfile under its own name and a .dockerignore naming it, which the
    /// engine reads to drop both from the context (out of COPY . steps), as the docker CLI does for a Dockerfile outside the context.
    /// </summary>
    private static MemoryStream ContextTar(string publishOutput, string dockerfile)
    {
        if (!Directory.Exists(publishOutput))
        {
            throw new RecipeException($"{publishOutput} does not exist: the Dockerfile {dockerfile} builds from the publish output of Package; run Package first.");
        }

        var ignored = $"{DockerfileInContext}\n.dockerignore\n";
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(publishOutput, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                writer.WriteEntry(file, Path.GetRelativePath(publishOutput, file).Replace('\\', '/'));
            }

            writer.WriteEntry(dockerfile, DockerfileInContext);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ".dockerignore") { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ignored)) });
        }

        stream.Position = 0;
        return stream;
    }
}
