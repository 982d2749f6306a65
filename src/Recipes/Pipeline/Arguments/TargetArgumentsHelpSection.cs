using Cake.Core;
using Recipes.Hosting.Internal;

namespace Recipes.Pipeline.Arguments;

/// <summary>The targets' arguments in <c>--help</c>, grouped per target, each with its value, default and meaning.</summary>
internal sealed class TargetArgumentsHelpSection : ITargetHelpSection
{
    private const string Indent = "  ";

    public string Title => "Target arguments";

    public void Write(IConsole console) => Write(console, TargetArgumentTable.Targets);

    public void Write(IConsole console, IReadOnlyList<string> targets) =>
        Write(console, [.. targets.Select(TargetArgumentTable.For).OfType<TargetArgumentSet>().Distinct()]);

    private static void Write(IConsole console, IReadOnlyList<TargetArgumentSet> targets)
    {
        console.WriteLine($"{Indent}Given on the command line only (--NAME=VALUE); checked before any task runs.");
        if (targets.Count == 0)
        {
            console.WriteLine($"{Indent}(these targets take none)");
            return;
        }

        var width = targets.SelectMany(t => t.Arguments).Max(a => Usage(a).Length) + 2;
        foreach (var target in targets)
        {
            console.WriteLine(string.Empty);
            console.WriteLine($"{Indent}{target.Target}:");
            foreach (var argument in target.Arguments)
            {
                var defaultText = argument.DefaultText is { } text ? $" (default: {text})" : string.Empty;
                console.WriteLine($"{Indent}{Indent}{Usage(argument).PadRight(width)}{argument.Description}{defaultText}");
            }
        }
    }

    private static string Usage(TargetArgument argument) => $"--{argument.Name}={argument.ValueName}";
}
