namespace Recipes.Deployment.Local;

/// <summary>Each environment's data folder, where its releases write and which outlives them.</summary>
internal sealed partial class ProcessSupervisor
{
    /// <summary>The variable that tells a release where its environment's data folder is.</summary>
    internal const string DataFolderVariable = "RECIPES_DATA_DIR";

    private readonly string? _dataRoot;

    /// <summary>The folder under which each environment has its data folder; the state folder unless the deployment says otherwise.</summary>
    internal string DataRoot { get => _dataRoot ?? StateDirectory; init => _dataRoot = Path.GetFullPath(value); }

    /// <summary>
    /// <c>&lt;data root&gt;/&lt;environment&gt;/data</c>: where the environment's releases write, kept across deployments,
    /// rollbacks and Stop, never inside a release folder; each release's working directory.
    /// </summary>
    internal string DataFolder(string environment) => Path.Combine(DataRoot, CheckedName(environment, "environment"), "data");

    /// <summary>
    /// Adds <see cref="DataFolderVariable"/> and the content root to <paramref name="variables"/>: the app's own files
    /// (appsettings.json, wwwroot) are found in its release folder, while what it writes by relative path lands in the
    /// data folder, its working directory. An environment's config may set another content root.
    /// </summary>
    /// <returns>The data folder.</returns>
    private string AddFolderVariables(Dictionary<string, string> variables, string environment, Release release)
    {
        var dataFolder = DataFolder(environment);
        variables[DataFolderVariable] = dataFolder;
        variables.TryAdd("ASPNETCORE_CONTENTROOT", release.Folder);
        variables.TryAdd("DOTNET_CONTENTROOT", release.Folder);
        return dataFolder;
    }
}
