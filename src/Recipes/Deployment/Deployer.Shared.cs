using Recipes.Deployment.Slots;
using Recipes.Deployment.Toggles;

namespace Recipes.Deployment;

internal sealed partial class Deployer
{
    /// <summary>The variable that tells a release where its environment's features file is.</summary>
    public const string FeaturesFileVariable = "RECIPES_FEATURES_FILE";

    /// <summary>
    /// What is wrong with <paramref name="environment"/>'s secrets before anything is fetched: one line naming each
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

    /// <summary>
    /// What every target hands a release: the environment's config as variables, its secrets by the build variables that
    /// hold them (their values are read only when the release starts), and where the features file is.
    /// </summary>
    public ReleaseStartOptions StartOptions(DeploymentEnvironment environment)
    {
        var variables = environment.Config.ToDictionary(entry => ToVariable(entry.Key), entry => entry.Value, StringComparer.Ordinal);
        variables[FeaturesFileVariable] = FeatureToggleFile.For(StateDirectory, environment.Name).Path;
        var secrets = environment.Secrets.ToDictionary(entry => ToVariable(entry.Key), entry => entry.Value.EnvironmentVariable, StringComparer.Ordinal);
        AddDatabase(environment, variables, secrets);
        return new ReleaseStartOptions
        {
            // Production unless the environment's config says otherwise; DOTNET_ENVIRONMENT alone names it for ASP.NET Core too.
            AspNetCoreEnvironment = variables.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") ?? variables.GetValueOrDefault("DOTNET_ENVIRONMENT"),
            Variables = variables,
            Secrets = secrets,
        };
    }

    /// <summary>The ledger's live row of <paramref name="environment"/>, or why the ledger could not be read.</summary>
    public (DeploymentRecord? Live, DeploymentLedgerUnreadableException? Unreadable) ReadLive(DeploymentEnvironment environment)
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

    /// <summary>ASP.NET Core reads <c>Section__Key</c> variables as <c>Section:Key</c>.</summary>
    private static string ToVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

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
            PrivateFiles.CreateOrRestrictDirectory(StateDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log($"The state folder {StateDirectory} stays open to other users: its permissions cannot be changed ({exception.Message}); its files are private");
        }
    }

    /// <summary>
    /// The environment's lock, or null when the ledger cannot be read: what runs is recorded by the target, not in the
    /// ledger, and a damaged ledger must not keep releases running.
    /// </summary>
    private async Task<DeploymentLock?> LockUnlessUnreadableAsync(DeploymentEnvironment environment, string holder, CancellationToken cancellationToken)
    {
        try
        {
            return await LockAsync(environment, holder, cancellationToken);
        }
        catch (DeploymentLedgerUnreadableException unreadable)
        {
            Log($"{unreadable.Message} {holder} goes on without the lock of {environment.Name}.");
            return null;
        }
    }
}
