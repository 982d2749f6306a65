using Cake.Core;

namespace Recipes.Hosting.Internal;

/// <summary>
/// A help section that can narrow itself to the targets on the command line: <c>--target=Release --help</c> shows
/// only what Release takes and reads.
/// </summary>
internal interface ITargetHelpSection : IHelpSection
{
    /// <summary>Writes the part of the section that concerns <paramref name="targets"/>.</summary>
    void Write(IConsole console, IReadOnlyList<string> targets);
}
