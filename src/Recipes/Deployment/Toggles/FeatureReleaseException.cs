namespace Recipes.Deployment.Toggles;

/// <summary>
/// A feature release that cannot happen as asked: an undeclared feature, a percentage out of range, or a features
/// file that is not what the feature manager reads. The message is one line that says what to fix.
/// </summary>
public sealed class FeatureReleaseException : RecipeException
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public FeatureReleaseException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public FeatureReleaseException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
