using Recipes.Hosting;
using Recipes.Pipeline;

// The whole pipeline from one package. Turn stages off, replace them or add your own:
//   .ConfigureTasks(tasks => tasks.TurnOff<Recipes.Pipeline.Tasks.Publish>("published by the release job"))
// and put your own tasks in this project (one per file); they are found automatically.
return new CakeHost()
    .UseRecipe(recipe => recipe.Configuration = "Release")
    .Run(args);
