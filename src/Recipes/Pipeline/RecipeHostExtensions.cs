using Microsoft.Extensions.DependencyInjection;
using Recipes.Hosting;

namespace Recipes.Pipeline;

/// <summary>Adds the deployment pipeline to a host.</summary>
public static class RecipeHostExtensions
{
    /// <summary>
    /// Adds the pipeline's tasks (Version, Compile, FastTests, Package, Publish, SlowTests and the stage targets) with
    /// <see cref="RecipeContext"/> as context. Call <c>UseContext&lt;T&gt;()</c> afterwards for a context derived from it.
    /// </summary>
    public static CakeHost UseRecipe(this CakeHost host, Action<RecipeSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var settings = new RecipeSettings();
        configure?.Invoke(settings);
        return host
            .UseContext<RecipeContext>()
            .AddAssembly(typeof(RecipeContext).Assembly)
            .ConfigureServices(services => services.AddSingleton(settings));
    }
}
