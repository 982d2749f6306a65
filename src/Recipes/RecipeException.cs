namespace Recipes;

/// <summary>
/// A pipeline stage that cannot do its job for a reason the user can fix (no git history, a refused feed, a
/// conflicting package). The message is one line that says what is wrong and what to do.
/// </summary>
public class RecipeException : Exception
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public RecipeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RecipeException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
