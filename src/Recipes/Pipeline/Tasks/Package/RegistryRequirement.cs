using Recipes.Deployment;
using Recipes.Deployment.Docker;
using Recipes.Hosting;
using Recipes.Hosting.Internal;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Tasks;

/// <summary>A docker environment deploys the image Package pushes, so a run that packages needs the <c>registry</c> setting.</summary>
internal sealed class RegistryRequirement : IRunCheck
{
    /// <summary>
    /// Refuses, in one line naming the environment and the setting, a run that reaches Package without a registry
    /// while the environments file has a <c>target: docker</c> environment. The host runs it before the first task, so nothing is built in vain.
    /// </summary>
    /// <exception cref="RecipeConfigurationException">A docker environment and no registry.</exception>
    public void Check(IFrostingContext context, IReadOnlyList<string> tasks)
    {
        if (context is not RecipeContext recipe || !tasks.Contains(nameof(Package), StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        Check(recipe);
    }

    private static void Check(RecipeContext context)
    {
        if (context.Settings.Registry is { Length: > 0 })
        {
            return;
        }

        if (DockerEnvironment(context) is { } environment)
        {
            throw new RecipeConfigurationException(
                $"Environment '{environment.Name}' in {context.Settings.EnvironmentsFile} has target: docker, which deploys the image Package pushes, and the setting 'registry' is not set; "
                + "set it (--registry=HOST[:PORT][/PATH] or RECIPES_REGISTRY) to the team's registry.");
        }
    }

    private static DeploymentEnvironment? DockerEnvironment(RecipeContext context)
    {
        if (!File.Exists(Path.GetFullPath(context.Settings.EnvironmentsFile, context.RepositoryRoot)))
        {
            return null;
        }

        try
        {
            return context.LoadEnvironments().Environments.FirstOrDefault(e => e.Target == DockerTarget.Name);
        }
        catch (RecipeConfigurationException)
        {
            // A malformed environments file is Deploy's to name (file:line:field); packaging does not depend on it.
            return null;
        }
    }
}
