using Recipes.Hosting;
using Recipes.Pipeline;

// This repository's own build is the Recipes pipeline, as any team's would be.
return new CakeHost()
    .UseRecipe(recipe => recipe.FastTestFilter = "Category!=Slow")
    .Run(args);
