using Recipes.Hosting;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// The recipe's settings are wrong: an unknown key in <c>recipes.json</c>, a mistyped <c>RECIPES_*</c> variable, a value
/// that does not parse or names nothing. Raised before any task runs; the build exits with code 2 and this one-line
/// message, which names the setting and where its value came from.
/// </summary>
public sealed class RecipeConfigurationException : FrostingException
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public RecipeConfigurationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RecipeConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
