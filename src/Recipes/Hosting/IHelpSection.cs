using Cake.Core;

namespace Recipes.Hosting;

/// <summary>
/// A section that <c>--help</c> prints after the host's options, such as a recipe's settings. Register
/// implementations in the service container (<c>ConfigureServices(s =&gt; s.AddSingleton&lt;IHelpSection, MySection&gt;())</c>);
/// every registered section is printed, in registration order.
/// </summary>
/// <remarks>
/// <c>--help</c> runs before any task and without a context, so a section must not need a git repository, a solution
/// or anything a task computes. A section that throws is shown as its error; the rest of the help is still printed.
/// </remarks>
public interface IHelpSection
{
    /// <summary>The heading, printed as <c>Title:</c>.</summary>
    string Title { get; }

    /// <summary>Writes the section's lines, each indented by two spaces to match the rest of the help.</summary>
    void Write(IConsole console);
}
