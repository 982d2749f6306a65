namespace Recipes.Discovery;

/// <summary>
/// No solution to build: none in the folder, several and none chosen, or the chosen one is missing. The message is one
/// line that names the folder and says what to pass.
/// </summary>
public sealed class SolutionNotFoundException : RecipeException
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public SolutionNotFoundException(string message) : base(message)
    {
    }
}
