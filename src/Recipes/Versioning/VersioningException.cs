namespace Recipes.Versioning;

/// <summary>
/// The version cannot be computed for a reason the user can fix: not a git repository, a shallow clone, no commits,
/// GitVersion missing or failing. The message is one line that names the folder and says what to do.
/// </summary>
public sealed class VersioningException : RecipeException
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public VersioningException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public VersioningException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
