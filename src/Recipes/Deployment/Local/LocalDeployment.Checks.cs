namespace Recipes.Deployment.Local;

internal sealed partial class LocalDeployment
{
    /// <summary>
    /// What is wrong with <paramref name="environment"/>'s secrets before anything is downloaded: one line naming each
    /// secret whose variable is not set in this process, and the variable to set; null when all are set.
    /// </summary>
    public static string? UnsetSecrets(DeploymentEnvironment environment)
    {
        var unset = environment.Secrets
            .Where(secret => string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(secret.Value.EnvironmentVariable)))
            .Select(secret => $"{secret.Key} comes from the variable {secret.Value.EnvironmentVariable}, which is not set")
            .ToList();
        return unset.Count == 0
            ? null
            : $"Environment '{environment.Name}' needs its secrets before deploying: {string.Join("; ", unset)}. Set it in the build's environment (on CI, from the server's secret store) and run again.";
    }

    /// <exception cref="RecipeException">A declared secret's variable is not set.</exception>
    private static void RequireSecrets(DeploymentEnvironment environment)
    {
        if (UnsetSecrets(environment) is { } problem)
        {
            throw new RecipeException(problem);
        }
    }

    /// <summary>
    /// The state folder is the user's alone (0700), also when an older version or the user created it open to others:
    /// nothing in it can then be read by anyone else, whatever the mode of the files inside.
    /// </summary>
    private void MakeStatePrivate()
    {
        try
        {
            PrivateFiles.CreateOrRestrictDirectory(_stateDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log($"The state folder {_stateDirectory} stays open to other users: its permissions cannot be changed ({exception.Message}); its files are private");
        }
    }

    /// <summary>The ledger's live row of <paramref name="environment"/>, or why the ledger could not be read.</summary>
    private (DeploymentRecord? Live, DeploymentLedgerUnreadableException? Unreadable) ReadLive(DeploymentEnvironment environment)
    {
        try
        {
            return (Ledger.Live(environment.Name), null);
        }
        catch (DeploymentLedgerUnreadableException unreadable)
        {
            return (null, unreadable);
        }
    }

    /// <summary>
    /// The environment's lock, or null when the ledger cannot be read: what runs is recorded in the state folder, not
    /// in the ledger, and a damaged ledger must not keep releases running.
    /// </summary>
    private async Task<DeploymentLock?> LockUnlessUnreadableAsync(DeploymentEnvironment environment, string holder, CancellationToken cancellationToken)
    {
        try
        {
            return await LockAsync(environment, holder, cancellationToken);
        }
        catch (DeploymentLedgerUnreadableException unreadable)
        {
            _log($"{unreadable.Message} {holder} goes on without the lock of {environment.Name}.");
            return null;
        }
    }
}
