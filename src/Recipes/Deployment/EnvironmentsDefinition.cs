namespace Recipes.Deployment;

/// <summary>The environments of a repository, in promotion order, as read by <see cref="EnvironmentsFile.Load"/>.</summary>
public sealed class EnvironmentsDefinition
{
    /// <summary>Creates the definition; the environments are expected to be valid and uniquely named.</summary>
    /// <param name="file">The file the environments were read from.</param>
    /// <param name="environments">The environments, first to be deployed first.</param>
    public EnvironmentsDefinition(string file, IReadOnlyList<DeploymentEnvironment> environments)
    {
        File = file;
        Environments = environments;
    }

    /// <summary>The file the environments were read from.</summary>
    public string File { get; }

    /// <summary>The environments in promotion order: a version reaches each only after the one before it.</summary>
    public IReadOnlyList<DeploymentEnvironment> Environments { get; }

    /// <summary>The environment called <paramref name="name"/>.</summary>
    /// <exception cref="RecipeException">No environment has that name.</exception>
    public DeploymentEnvironment Get(string name) =>
        Environments.FirstOrDefault(e => e.Name == name) ?? throw Unknown(name);

    /// <summary>The environment after <paramref name="name"/> in promotion order, or null when it is the last.</summary>
    /// <exception cref="RecipeException">No environment has that name.</exception>
    public DeploymentEnvironment? Next(string name)
    {
        var index = IndexOf(name);
        return index + 1 < Environments.Count ? Environments[index + 1] : null;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < Environments.Count; i++)
        {
            if (Environments[i].Name == name)
            {
                return i;
            }
        }

        throw Unknown(name);
    }

    private RecipeException Unknown(string name) =>
        new($"There is no environment '{name}' in {File}; use one of {string.Join(", ", Environments.Select(e => e.Name))}.");
}
