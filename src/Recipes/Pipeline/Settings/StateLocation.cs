using System.Security.Cryptography;
using System.Text;
using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// Where the deployment state lives. By default outside the repository, where <c>git clean -fdx</c> cannot reach it:
/// <c>~/.recipes/state/&lt;repository folder name&gt;-&lt;short hash of its full path&gt;</c>, so two clones of one
/// repository keep separate histories. An explicit <c>state-directory</c> is relative to the repository root.
/// </summary>
internal static class StateLocation
{
    /// <summary>Where state lived before it moved out of the working tree, relative to the repository root.</summary>
    public const string InRepositoryFolder = ".recipes/state";

    /// <summary>The default folder for <paramref name="repositoryRoot"/> under <paramref name="home"/>.</summary>
    public static string Default(string home, string repositoryRoot)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..8];
        return Path.Combine(home, ".recipes", "state", $"{Path.GetFileName(root)}-{hash}");
    }

    /// <summary>The home folder: HOME (USERPROFILE on Windows) of <paramref name="environment"/>, or null when unset.</summary>
    public static string? Home(EnvironmentVariables environment) =>
        environment.Get(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME") is { Length: > 0 } home ? home : null;

    /// <summary>What <c>--help</c> shows when the setting is not set: the folder it resolves to, or why there is none.</summary>
    public static string DescribeDefault(string repositoryRoot, EnvironmentVariables environment) =>
        Home(environment) is { } home
            ? $"{Default(home, repositoryRoot)} (default: outside the repository, per clone)"
            : "(not set, and HOME is not set: set state-directory)";

    /// <summary>
    /// The state folder in force as a full path. The default one's parent is created here, so that a HOME that cannot
    /// hold it is reported before any deployment starts.
    /// </summary>
    /// <exception cref="RecipeConfigurationException">HOME is unset or unwritable, or state is still in the repository's old folder; the build exits with code 2.</exception>
    public static string Resolve(string? setting, string repositoryRoot, EnvironmentVariables environment)
    {
        if (!string.IsNullOrWhiteSpace(setting))
        {
            return Path.GetFullPath(setting.Trim(), repositoryRoot);
        }

        var home = Home(environment)
            ?? throw new RecipeConfigurationException(
                "Setting 'state-directory' is not set and HOME is not set, so there is no default state folder (~/.recipes/state/<repository>); set HOME, or set state-directory (--state-directory=PATH, RECIPES_STATE_DIRECTORY) to a writable folder.");
        var folder = Default(home, repositoryRoot);
        try
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(folder)!);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new RecipeConfigurationException(
                $"Setting 'state-directory' is not set and the default state folder {folder} cannot be created under HOME ({home}): {exception.Message}; set state-directory (--state-directory=PATH, RECIPES_STATE_DIRECTORY) to a writable folder.");
        }

        var old = Path.GetFullPath(InRepositoryFolder, repositoryRoot);
        if (!Directory.Exists(folder) && File.Exists(Path.Combine(old, RecipeContext.LedgerFileName)))
        {
            // Starting an empty history beside the old one would lose track of what runs; the user chooses.
            throw new RecipeConfigurationException(
                $"Deployment state now lives outside the repository, in {folder}, but this repository's history is still in {old}: stop what runs there (./build.sh --target=Stop --state-directory={InRepositoryFolder}) and run `mv {old} {folder}`, or keep it where it is with state-directory={InRepositoryFolder}.");
        }

        return folder;
    }
}
