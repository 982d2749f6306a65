using Recipes.Hosting;
using Recipes.Pipeline;

// The whole pipeline from one package. Turn stages off, replace them or add your own:
//   .ConfigureTasks(tasks => tasks.TurnOff<Recipes.Pipeline.Tasks.Publish>("published by the release job"))
// and put your own tasks in this project (one per file); they are found automatically.
// Change one dotnet call of a stage without replacing it (after the recipe's own settings; see the README):
//   .UseRecipe(recipe => recipe.Configure<Cake.Common.Tools.DotNet.Pack.DotNetPackSettings>(
//       pack => pack.MSBuildSettings.Properties["PackageProjectUrl"] = ["https://example.com/my-library"]))
// While build/ is these two files as the template wrote them, build.sh runs this same program from the Recipes
// package without compiling it; any change here or another file in build/ makes it compile build/ instead.
return new CakeHost()
    .UseRecipe()
    .Run(args);
