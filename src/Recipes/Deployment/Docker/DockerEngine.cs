using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Recipes.Deployment.Docker;

/// <summary>
/// The container engine as the docker target needs it: pull by digest, start a fresh container, inspect, stop, remove
/// and list by label. Every call that finds no engine fails with one line naming the socket and how to start one.
/// </summary>
/// <remarks>
/// Why the Engine API through Docker.DotNet rather than the docker command line: typed requests and answers (no
/// parsing of a command's output, which changes between CLI versions), cancellation, and no CLI needed on the
/// machine that deploys, only a reachable engine.
/// </remarks>
internal sealed partial class DockerEngine : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(100);

    private readonly DockerClient _client;

    public DockerEngine(DockerEndpoint endpoint)
    {
        Endpoint = endpoint;
        _client = new DockerClientConfiguration(endpoint.Address, defaultTimeout: CallTimeout).CreateClient();
    }

    /// <summary>Where the engine listens.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>Checks that the engine answers.</summary>
    /// <exception cref="RecipeException">No engine answers at the endpoint.</exception>
    public Task PingAsync(CancellationToken cancellationToken) =>
        CallAsync(() => _client.System.PingAsync(cancellationToken));

    /// <summary>
    /// Pulls <paramref name="repository"/> by <paramref name="digest"/>, never by tag, so that what runs is exactly
    /// what the commit stage pushed. Returns the image reference to start containers from, <c>repository@sha256:…</c>.
    /// </summary>
    /// <exception cref="RecipeException">The digest is malformed, or the registry does not serve it.</exception>
    public async Task<string> PullAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        ImageDigest.Require(digest, repository);
        var reference = $"{repository}@{digest}";
        var errors = new List<string>();
        var progress = new Progress<JSONMessage>(message =>
        {
            var error = message.Error?.Message ?? message.ErrorMessage;
            if (!string.IsNullOrEmpty(error))
            {
                lock (errors)
                {
                    errors.Add(error);
                }
            }
        });
        await CallAsync(() => _client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = repository, Tag = digest }, new AuthConfig(), progress, cancellationToken), reference);

        // Progress reports arrive on the thread pool; the image is there if and only if the engine can inspect it.
        if (await InspectImageAsync(reference, cancellationToken) is null)
        {
            var why = errors.Count > 0 ? errors[^1] : "the engine reported no error";
            throw new RecipeException($"Pulling {reference} failed: {why}. Check that the registry serves it (was the image pushed by the commit stage?).");
        }

        return reference;
    }

    /// <summary>The image's configuration as the engine has it, or null when the engine does not have the image.</summary>
    public async Task<ImageInspectResponse?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(() => _client.Images.InspectImageAsync(reference, cancellationToken), reference);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates and starts a fresh container from <paramref name="definition"/> on the host's network (apps bind 127.0.0.1
    /// ports only), with no restart policy: a container that dies stays dead for the target to notice and replace
    /// from the same digest, and the ledger knows of every replacement.
    /// </summary>
    /// <returns>The container's id.</returns>
    public async Task<string> StartAsync(ContainerDefinition definition, CancellationToken cancellationToken)
    {
        var parameters = new CreateContainerParameters
        {
            Name = definition.Name,
            Image = definition.Image,
            Env = definition.Variables.Select(variable => $"{variable.Key}={variable.Value}").ToList(),
            Labels = definition.Labels.ToDictionary(label => label.Key, label => label.Value),
            User = definition.User,
            Cmd = definition.Command.Count > 0 ? definition.Command.ToList() : null,
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                ReadonlyRootfs = definition.ReadOnlyRootFilesystem,

                // The runtime writes its diagnostics socket and temporary files there, even with a read-only image.
                Tmpfs = definition.ReadOnlyRootFilesystem ? new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev,size=64m" } : null,
                Binds = definition.Mounts.Select(mount => $"{mount.HostPath}:{mount.ContainerPath}:{(mount.ReadOnly ? "ro" : "rw")}").ToList(),
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            },
        };
        var created = await CallAsync(() => _client.Containers.CreateContainerAsync(parameters, cancellationToken), definition.Name);
        try
        {
            await CallAsync(() => _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken), definition.Name);
        }
        catch
        {
            // A container that never started is no release: leave nothing behind.
            await RemoveAsync(created.ID, CancellationToken.None);
            throw;
        }

        return created.ID;
    }

    /// <summary>The container's state now, or null when the engine has no such container.</summary>
    public async Task<ContainerState?> InspectAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            var container = await CallAsync(() => _client.Containers.InspectContainerAsync(idOrName, cancellationToken), idOrName);
            var running = container.State?.Running == true;
            return new ContainerState(
                container.ID,
                container.Name.TrimStart('/'),
                running,
                running ? null : container.State?.ExitCode,
                container.RestartCount,
                Labels(container.Config?.Labels));
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>How the container was created (image, variables, labels, mounts, user, command), to start a fresh one like it; null when there is none.</summary>
    public async Task<ContainerDefinition?> DefinitionOfAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            var container = await CallAsync(() => _client.Containers.InspectContainerAsync(idOrName, cancellationToken), idOrName);
            var variables = (container.Config.Env ?? []).Select(variable => variable.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal);
            return new ContainerDefinition(container.Name.TrimStart('/'), container.Config.Image, variables, Labels(container.Config.Labels))
            {
                Mounts = [.. (container.HostConfig.Binds ?? []).Select(bind => bind.Split(':')).Select(parts => new ContainerMount(parts[0], parts[1], parts.Length > 2 && parts[2] == "ro"))],
                ReadOnlyRootFilesystem = container.HostConfig.ReadonlyRootfs,
                User = string.IsNullOrEmpty(container.Config.User) ? null : container.Config.User,
                Command = [.. container.Config.Cmd ?? []],
            };
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Stops the container: SIGTERM, then SIGKILL after <paramref name="grace"/>. A missing container is already stopped.</summary>
    public async Task StopAsync(string idOrName, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            var seconds = (uint)Math.Max(0, Math.Ceiling(grace.TotalSeconds));
            await CallAsync(() => _client.Containers.StopContainerAsync(idOrName, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, cancellationToken), idOrName);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    /// <summary>Removes the container, running or not, with its anonymous volumes. A missing container is already removed.</summary>
    public async Task RemoveAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _client.Containers.RemoveContainerAsync(idOrName, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken), idOrName);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    /// <summary>The containers, running or not, that carry every one of <paramref name="labels"/>.</summary>
    public async Task<IReadOnlyList<ContainerState>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var filter = labels.ToDictionary(label => $"{label.Key}={label.Value}", _ => true);
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = filter },
        };
        var containers = await CallAsync(() => _client.Containers.ListContainersAsync(parameters, cancellationToken));
        var states = new List<ContainerState>();
        foreach (var container in containers)
        {
            // The list's own state omits exit codes and restarts; inspect each (an environment has a few).
            if (await InspectAsync(container.ID, cancellationToken) is { } state)
            {
                states.Add(state);
            }
        }

        return states;
    }

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null ? [] : new Dictionary<string, string>(labels, StringComparer.Ordinal);

    private async Task CallAsync(Func<Task> call, string? subject = null) =>
        await CallAsync(async () =>
        {
            await call();
            return true;
        }, subject);

    /// <summary>Runs one engine call; an engine that does not answer becomes one line naming the socket.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, string? subject = null)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            throw new RecipeException(Endpoint.NotRunningMessage(Innermost(exception).Message.TrimEnd('.')), exception);
        }
        catch (DockerApiException exception) when (exception is not (DockerContainerNotFoundException or DockerImageNotFoundException))
        {
            var what = subject is null ? "" : $" for {subject}";
            throw new RecipeException($"Docker Engine at {Endpoint.Address.OriginalString} refused the request{what}: {exception.ResponseBody.Trim()}", exception);
        }
    }

    private static bool IsUnreachable(Exception exception) =>
        exception is HttpRequestException or SocketException or IOException or TimeoutException
        || (exception is TaskCanceledException && exception.InnerException is TimeoutException)
        || (exception.InnerException is { } inner && IsUnreachable(inner));

    private static Exception Innermost(Exception exception) =>
        exception.InnerException is { } inner ? Innermost(inner) : exception;
}
