namespace Recipes.Deployment.Docker;

/// <summary>Where the Docker Engine listens, and where that address came from (for error messages).</summary>
/// <param name="Address">Such as <c>unix:///var/run/docker.sock</c> or <c>tcp://127.0.0.1:2375</c>.</param>
/// <param name="Source">Such as <c>DOCKER_HOST</c>, <c>environments.yml engine</c> or <c>the default</c>.</param>
internal sealed record DockerEndpoint(Uri Address, string Source)
{
    /// <summary>The engine's default socket on Linux.</summary>
    public const string DefaultAddress = "unix:///var/run/docker.sock";

    /// <summary>
    /// The engine to use: the environment's own setting when it has one, else <c>DOCKER_HOST</c> as the docker
    /// command line reads it, else the default socket.
    /// </summary>
    /// <exception cref="RecipeException">The address is not a unix:// or tcp:// address.</exception>
    public static DockerEndpoint Resolve(string? setting, string settingSource, Func<string, string?> environmentVariable)
    {
        var (text, source) = !string.IsNullOrWhiteSpace(setting) ? (setting.Trim(), settingSource)
            : environmentVariable("DOCKER_HOST") is { Length: > 0 } fromVariable ? (fromVariable.Trim(), "DOCKER_HOST")
            : (DefaultAddress, "the default");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("unix" or "tcp" or "http"))
        {
            throw new RecipeException(
                $"Docker Engine address '{text}' (from {source}) is not understood: use unix:///path/to/docker.sock or tcp://host:port.");
        }

        return new DockerEndpoint(address, source);
    }

    /// <summary>One line that says no engine answers here and how to start one.</summary>
    public string NotRunningMessage(string why) =>
        $"No Docker Engine answers at {Address.OriginalString} (from {Source}; {why}): start one " +
        $"(sudo systemctl start docker, or sudo dockerd --host {Address.OriginalString}) or point DOCKER_HOST at a running engine.";
}
