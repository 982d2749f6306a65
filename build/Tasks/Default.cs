using Recipes.Hosting;

[TaskName(CakeHost.DefaultTarget)]
[TaskDescription("Compile and run the fast tests")]
[IsDependentOn(typeof(Test))]
public sealed class Default : FrostingTask<BuildContext>
{
}
