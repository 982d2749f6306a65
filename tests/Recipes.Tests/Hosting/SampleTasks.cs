using Cake.Core;
using Recipes.Hosting;

namespace Recipes.Tests.Hosting;

// A small pipeline used by several tests: Restore <- Build <- Test <- Pack, Lint attaches itself to Build.
public abstract class JournalTask(Journal journal) : FrostingTask<ICakeContext>
{
    protected Journal Journal { get; } = journal;

    public override void Run(ICakeContext context) => Journal.Add(GetType().Name);
}

[TaskDescription("Restore packages")]
public sealed class Restore(Journal journal) : JournalTask(journal);

[TaskDescription("Compile the code")]
[IsDependentOn(typeof(Restore))]
public sealed class Build(Journal journal) : JournalTask(journal);

[IsDependeeOf(typeof(Build))]
[IsDependentOn(typeof(Restore))]
public sealed class Lint(Journal journal) : JournalTask(journal);

[TaskName("Test")]
[TaskDescription("Run the unit tests")]
[IsDependentOn(typeof(Build))]
public sealed class UnitTests(Journal journal) : JournalTask(journal);

[IsDependentOn(typeof(UnitTests))]
public sealed class Pack(Journal journal) : JournalTask(journal);

[IsDependentOn(typeof(Pack))]
[TaskDescription("Everything")]
public sealed class Default : FrostingTask
{
}
