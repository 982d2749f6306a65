using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Recipes.Hosting;

[TaskName(nameof(SlowTests))]
[TaskDescription("Run the end-to-end tests (Category=Slow)")]
[IsDependentOn(typeof(Compile))]
public sealed class SlowTests : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.DotNetTest(context.Solution, new DotNetTestSettings
        {
            Configuration = context.BuildConfiguration,
            NoBuild = true,
            Filter = "Category=Slow",
        });
}
