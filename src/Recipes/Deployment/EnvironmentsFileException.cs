namespace Recipes.Deployment;

/// <summary>
/// The environments file is malformed or describes environments that cannot be deployed. The message is one line,
/// <c>file:line: what is wrong; what to write instead</c>, so that editors and CI logs link straight to the place.
/// </summary>
public sealed class EnvironmentsFileException : RecipeException
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The environments file, as the user named it.</param>
    /// <param name="line">The 1-based line of the offending value.</param>
    /// <param name="field">The field, as a dotted path inside an environment (<c>strategy.kind</c>), or null for the file as a whole.</param>
    /// <param name="problem">What is wrong and what to do, without the location.</param>
    /// <param name="innerException">The parser's error, when the YAML itself is malformed.</param>
    public EnvironmentsFileException(string file, int line, string? field, string problem, Exception? innerException = null)
        : base($"{file}:{line}: {problem}", innerException!)
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>The environments file, as the user named it.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the offending value.</summary>
    public int Line { get; }

    /// <summary>The offending field as a dotted path inside an environment, or null for the file as a whole.</summary>
    public string? Field { get; }
}
