namespace Recipes.Tests.Support;

/// <summary>
/// How the recipe refuses bad input, checked the same way by every such test: the expected exit code, exactly one
/// line on the error output, starting "Error: ", naming the file, argument or value it is about.
/// </summary>
internal sealed class OneLineError
{
    private OneLineError(string line) => Line = line;

    /// <summary>The error line, without its line ending.</summary>
    public string Line { get; }

    /// <summary>Runs the harness's host with <paramref name="arguments"/> and checks that it exits 2 with one error line.</summary>
    public static OneLineError From(HostHarness harness, params string[] arguments) => From(harness, 2, arguments);

    /// <summary>Runs the harness's host with <paramref name="arguments"/> and checks that it exits <paramref name="exitCode"/> with one error line.</summary>
    public static OneLineError From(HostHarness harness, int exitCode, params string[] arguments) =>
        Of(harness.Run(arguments), harness.Error, exitCode, harness.Output);

    /// <summary>Checks a run's exit code and error output.</summary>
    /// <param name="exit">The run's exit code.</param>
    /// <param name="error">What the run wrote to its error output.</param>
    /// <param name="exitCode">The exit code the refusal should have.</param>
    /// <param name="output">The run's other output, shown when a check fails.</param>
    public static OneLineError Of(int exit, string error, int exitCode = 2, string output = "")
    {
        exit.ShouldBe(exitCode, $"error output:\n{error}\noutput:\n{output}");
        return new OneLineError(LineOf(error));
    }

    /// <summary>The one line of <paramref name="error"/>, starting <c>Error: </c>, for a test that checks the exit code itself.</summary>
    public static string LineOf(string error)
    {
        var lines = error.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.Count.ShouldBe(1, $"one error line, not:\n{error}");
        lines[0].ShouldStartWith("Error: ");
        return lines[0];
    }

    /// <summary>Checks that the line names each of <paramref name="names"/> (a file, an argument, a value), as given.</summary>
    public OneLineError Naming(params string[] names)
    {
        foreach (var name in names)
        {
            Line.ShouldContain(name, Case.Sensitive, $"the error line should name '{name}'");
        }

        return this;
    }

    /// <summary>Checks the whole line.</summary>
    public void ShouldBe(string expected) => Line.ShouldBe(expected);
}
