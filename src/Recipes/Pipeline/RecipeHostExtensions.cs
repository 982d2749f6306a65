using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Recipes.Hosting;
using Recipes.Hosting.Internal;
using Recipes.Pipeline.Arguments;
using Recipes.Pipeline.Settings;
using Recipes.Pipeline.Tasks;

namespace Recipes.Pipeline;

/// <summary>Adds the deployment pipeline to a host.</summary>
public static class RecipeHostExtensions
{
    /// <summary>
    /// Adds the pipeline's tasks (Version, Compile, FastTests, Package, Publish, SlowTests and the stage targets) with
    /// <see cref="RecipeContext"/> as context. Call <c>UseContext&lt;T&gt;()</c> afterwards for a context derived from it.
    /// </summary>
    /// <param name="host">The host.</param>
    /// <param name="configure">
    /// Sets the settings in code. <c>recipes.json</c>, <c>RECIPES_*</c> environment variables and the command line
    /// override them, in that order; <c>--help</c> lists them all.
    /// </param>
    public static CakeHost UseRecipe(this CakeHost host, Action<RecipeSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var settings = new RecipeSettings();
        configure?.Invoke(settings);
        return host
            .UseContext<RecipeContext>()
            .AddAssembly(typeof(RecipeContext).Assembly)
            .ConfigureServices(services =>
            {
                services.AddSingleton(settings);

                // Once, even when UseRecipe is called again to change the settings.
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IHelpSection, TargetArgumentsHelpSection>());
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IHelpSection, RecipeSettingsHelpSection>());
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunCheck, TargetArgumentCheck>());
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunCheck, RegistryRequirement>());
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunCheck, PackageInRun>());
            });
    }
}
