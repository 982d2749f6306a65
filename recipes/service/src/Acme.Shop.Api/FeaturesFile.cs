namespace Acme.Shop.Api;

/// <summary>
/// The environment's features file, which the deployment names in <see cref="Variable"/> and a release rewrites
/// while the app runs (Microsoft.FeatureManagement's <c>feature_management.feature_flags</c> format).
/// </summary>
public static class FeaturesFile
{
    /// <summary>The environment variable that holds the file's full path.</summary>
    public const string Variable = "RECIPES_FEATURES_FILE";

    /// <summary>
    /// Adds the file at <paramref name="path"/> to <paramref name="configuration"/>, reloaded when it changes; nothing
    /// when no path is given, so the app also runs outside a deployment.
    /// </summary>
    public static IConfigurationBuilder AddFeaturesFile(this IConfigurationBuilder configuration, string? path)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(path))
        {
            return configuration;
        }

        // Optional: a release may create the file after the app started, and the reload picks it up then.
        return configuration.AddJsonFile(Path.GetFullPath(path), optional: true, reloadOnChange: true);
    }
}
