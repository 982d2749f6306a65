namespace Recipes.Hosting.Internal;

/// <summary>
/// A check the host runs once the tasks of a run are known and before the first of them starts; a
/// <see cref="FrostingException"/> from it is a configuration error (one line, exit code 2).
/// </summary>
internal interface IRunCheck
{
    /// <summary>Checks the run; <paramref name="tasks"/> are the names of the tasks it executes, in order.</summary>
    void Check(IFrostingContext context, IReadOnlyList<string> tasks);
}
