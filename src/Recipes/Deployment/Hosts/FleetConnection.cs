namespace Recipes.Deployment.Hosts;

/// <summary>
/// SSH sessions to every host of a hosts environment, opened before anything is sent to any of them: a host that is
/// unreachable, refuses the key or shows an unpinned host key stops the deployment with nothing uploaded anywhere.
/// </summary>
internal sealed class FleetConnection : IDisposable
{
    private readonly List<SshSession> _sessions;

    private FleetConnection(List<SshSession> sessions)
    {
        _sessions = sessions;
        Hosts = [.. sessions.Select(session => new HostReleases(session))];
    }

    public IReadOnlyList<HostReleases> Hosts { get; }

    /// <summary>Connects to every host of <paramref name="environment"/> (or only to <paramref name="only"/>) with the key from its key variable.</summary>
    /// <exception cref="RecipeException">The key variable is unset, or a host cannot be used (one line naming it).</exception>
    public static async Task<FleetConnection> OpenAsync(DeploymentEnvironment environment, CancellationToken cancellationToken, IReadOnlyList<HostEntry>? only = null)
    {
        var (settings, key, pins) = Credentials(environment);
        var opening = (only ?? settings.Hosts).Select(host => SshSession.OpenAsync(host, key, pins, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(opening);
        }
        catch (RecipeException)
        {
            foreach (var opened in opening.Where(task => task.IsCompletedSuccessfully))
            {
                opened.Result.Dispose();
            }

            // The first host in the file's order that failed, so the message does not depend on timing.
            throw opening.First(task => task.IsFaulted).Exception!.InnerException!;
        }

        return new FleetConnection([.. opening.Select(task => task.Result)]);
    }

    /// <summary>The environment's hosts settings, the private key from its variable and the pinned host keys.</summary>
    /// <exception cref="RecipeException">The key variable is unset or the known_hosts file is missing.</exception>
    public static (HostsSettings Settings, string Key, HostKeyPins Pins) Credentials(DeploymentEnvironment environment)
    {
        var settings = environment.TargetSettings as HostsSettings
            ?? throw new InvalidOperationException($"Environment '{environment.Name}' was not read as a hosts environment.");
        var key = Environment.GetEnvironmentVariable(settings.KeyVariable) is { Length: > 0 } value
            ? value
            : throw new RecipeException($"The SSH key variable {settings.KeyVariable} (ssh.key-from-env of environment '{environment.Name}') is not set; put the deploy key's private key (OpenSSH format) in it.");
        return (settings, key, HostKeyPins.Of(settings));
    }

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }
}
