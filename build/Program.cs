using Recipes.Hosting;

return new CakeHost()
    .UseContext<BuildContext>()
    .Run(args);
