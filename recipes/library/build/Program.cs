using Recipes.Hosting;
using Recipes.Pipeline;

return new CakeHost()
    .UseRecipe()
    .Run(args);
