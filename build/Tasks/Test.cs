using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Recipes.Hosting;

[TaskName(nameof(Test))]
[TaskDescription("Run the fast tests (everything not marked Category=Slow)")]
[IsDependentOn(typeof(Compile))]
public sealed class Test : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.DotNetTest(context.Solution, new DotNetTestSettings
        {
            Configuration = context.BuildConfiguration,
            NoBuild = true,
            Filter = "Category!=Slow",
        });
}
