using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;
using Recipes.Hosting;

[TaskName(nameof(Compile))]
[TaskDescription("Restore and build the solution")]
public sealed class Compile : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.DotNetBuild(context.Solution, new DotNetBuildSettings { Configuration = context.BuildConfiguration });
}
