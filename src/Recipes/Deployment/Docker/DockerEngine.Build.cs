using Docker.DotNet.Models;

namespace Recipes.Deployment.Docker;

/// <summary>Building an image from a team's Dockerfile and pushing it: the commit stage's use of the engine.</summary>
internal sealed partial class DockerEngine
{
    /// <summary>
    /// Builds an image from <paramref name="contextTar"/> (a tar that holds the Dockerfile as <paramref name="dockerfileName"/>)
    /// with the engine's classic builder, whose output names each step. Returns null when the build succeeded, else the
    /// failing step and the engine's error in one line.
    /// </summary>
    public async Task<string?> BuildAsync(
        Stream contextTar, string dockerfileName, string reference, IReadOnlyDictionary<string, string> buildArguments,
        IReadOnlyDictionary<string, string> labels, Action<string> log, CancellationToken cancellationToken)
    {
        var parameters = new ImageBuildParameters
        {
            Dockerfile = dockerfileName,
            Tags = [reference],
            BuildArgs = buildArguments.ToDictionary(argument => argument.Key, argument => argument.Value),
            Labels = labels.ToDictionary(label => label.Key, label => label.Value),

            // The engine runs without a bridge network; RUN steps share the host's, as the deployed containers do.
            NetworkMode = "host",
            Remove = true,
            ForceRemove = true,
        };
        var messages = new EngineMessages(log);
        await CallAsync(() => _client.Images.BuildImageFromDockerfileAsync(parameters, contextTar, [], new Dictionary<string, string>(), messages, cancellationToken), reference);
        return messages.Error is null ? null : $"{messages.LastStep ?? "before its first step"}: {messages.Error}";
    }

    /// <summary>
    /// Pushes <paramref name="repository"/>:<paramref name="tag"/> with <paramref name="credentials"/> (user:password
    /// or a token; they go to the engine in the request's auth header, nowhere else). Returns the engine's error, or null.
    /// </summary>
    public async Task<string?> PushAsync(string repository, string tag, string? credentials, Action<string> log, CancellationToken cancellationToken)
    {
        var host = repository[..repository.IndexOf('/', StringComparison.Ordinal)];
        var colon = credentials?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var auth = credentials is null ? new AuthConfig()
            : colon < 0 ? new AuthConfig { ServerAddress = host, RegistryToken = credentials }
            : new AuthConfig { ServerAddress = host, Username = credentials[..colon], Password = credentials[(colon + 1)..] };
        var messages = new EngineMessages(log);
        await CallAsync(() => _client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth, messages, cancellationToken), $"{repository}:{tag}");
        return messages.Error;
    }

    /// <summary>
    /// The engine's streamed messages, recorded as they are read: Progress&lt;T&gt; would post them to the thread pool
    /// and the last (the error) could arrive after the call returned.
    /// </summary>
    private sealed class EngineMessages(Action<string> log) : IProgress<JSONMessage>
    {
        public string? LastStep { get; private set; }

        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if ((value.Error?.Message ?? value.ErrorMessage) is { Length: > 0 } error)
            {
                Error = error.Trim();
            }

            if (value.Stream?.Trim() is { Length: > 0 } line)
            {
                if (line.StartsWith("Step ", StringComparison.Ordinal))
                {
                    LastStep = line;
                }

                log(line);
            }
        }
    }
}
