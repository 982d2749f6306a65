using Cake.Core;
using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Arguments;

/// <summary>
/// One argument a target takes on the command line (<c>--limit=N</c>), in the style of a settings row: its name, what
/// its value looks like, what it means, its default, and how its text is parsed. Arguments come from the command
/// line only, never from environment variables.
/// </summary>
internal abstract class TargetArgument(string name, string valueName, string description)
{
    /// <summary>The kebab-case name: <c>--lock-timeout</c>.</summary>
    public string Name { get; } = name;

    /// <summary>What the value looks like, for usage lines: <c>NAME</c>, <c>0-100</c>.</summary>
    public string ValueName { get; } = valueName;

    /// <summary>One line that says what the argument does.</summary>
    public string Description { get; } = description;

    /// <summary>What applies when the argument is not given, for <c>--help</c>; null when there is no default.</summary>
    public string? DefaultText { get; init; }

    /// <summary>The argument's text on the command line (the last one when repeated), trimmed; null when absent or empty.</summary>
    public string? Text(ICakeArguments arguments) =>
        arguments.HasArgument(Name) && arguments.GetArguments(Name).LastOrDefault() is { } value && value.Trim() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>True when the argument is on the command line with a value.</summary>
    public bool IsGiven(ICakeArguments arguments) => Text(arguments) is not null;

    /// <summary>Parses the given text, so that a wrong value is refused before any task runs.</summary>
    /// <exception cref="RecipeConfigurationException">The text is not a value of the argument's type; the message names the argument.</exception>
    public abstract void Check(ICakeArguments arguments);
}

/// <summary>A target argument whose value is read as <typeparamref name="T"/>.</summary>
/// <param name="name">The kebab-case name.</param>
/// <param name="valueName">What the value looks like.</param>
/// <param name="description">What the argument does.</param>
/// <param name="parse">
/// Reads the text; returns null with the phrase that says what to give (<c>give true or false</c>) when it is not a
/// value, or throws <see cref="RecipeConfigurationException"/> for a message of its own.
/// </param>
internal sealed class TargetArgument<T>(string name, string valueName, string description, Func<string, (T? Value, string? Expected)> parse)
    : TargetArgument(name, valueName, description)
{
    /// <summary>The value when the argument is not given.</summary>
    public T? Default { get; init; }

    /// <summary>The value given on the command line, or <see cref="Default"/>.</summary>
    /// <exception cref="RecipeConfigurationException">The text is not a value of the argument's type.</exception>
    public T? Value(ICakeArguments arguments)
    {
        if (Text(arguments) is not { } text)
        {
            return Default;
        }

        var (value, expected) = parse(text);
        return expected is null ? value : throw new RecipeConfigurationException($"--{Name} is '{text}'; {expected}.");
    }

    /// <inheritdoc />
    public override void Check(ICakeArguments arguments) => _ = Value(arguments);
}
