using Cake.Core;
using Recipes.Hosting;

// Stands in for a shared recipe library: a team gets these tasks and must not have to copy them to change them.
namespace Recipes.Tests.Hosting.Library;

public abstract class LibraryTask(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context) => journal.Add(GetType().Name);
}

public sealed class Compile(Journal journal) : LibraryTask(journal);

[IsDependentOn(typeof(Compile))]
public sealed class FastTests(Journal journal) : LibraryTask(journal);

[IsDependentOn(typeof(FastTests))]
public sealed class Package(Journal journal) : LibraryTask(journal);

[IsDependentOn(typeof(Package))]
public sealed class Publish(Journal journal) : LibraryTask(journal);

[IsDependentOn(typeof(Publish))]
public sealed class CommitStage : FrostingTask
{
}
