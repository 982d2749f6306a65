using Cake.Core;

namespace Recipes.Hosting.Internal;

/// <summary>Writes <c>--help</c>: targets with descriptions, the host's options, the sections others add, and the build's settings.</summary>
internal static class HelpWriter
{
    public static void Write(
        IConsole console,
        IReadOnlyList<TaskNode> tasks,
        IReadOnlyDictionary<string, string> settings,
        IEnumerable<IHelpSection> sections,
        IReadOnlyList<string> targets)
    {
        if (targets.Count > 0)
        {
            WriteTargets(console, tasks, sections, targets);
            return;
        }

        console.WriteLine("Usage: ./build.sh [TARGET...] [OPTIONS] [--NAME=VALUE...]");
        console.WriteLine(string.Empty);
        console.WriteLine("Targets:");
        var nameWidth = tasks.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var task in tasks.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase))
        {
            var marks = string.Equals(task.Name, CakeHost.DefaultTarget, StringComparison.OrdinalIgnoreCase) ? "(default) " : string.Empty;
            var off = task.TurnedOffReason is { } reason ? $" [off: {reason}]" : string.Empty;
            console.WriteLine($"  {task.Name.PadRight(nameWidth)}{marks}{task.Description}{off}");
        }

        console.WriteLine(string.Empty);
        console.WriteLine("Options:");
        var options = HostOptions.Table
            .Select(o => (Usage: Usage(o), o.Description))
            .ToList();
        var usageWidth = options.Max(o => o.Usage.Length) + 2;
        foreach (var (usage, description) in options)
        {
            console.WriteLine($"  {usage.PadRight(usageWidth)}{description}");
        }

        console.WriteLine(string.Empty);
        console.WriteLine("Arguments:");
        console.WriteLine("  Any other --NAME=VALUE (or --NAME, meaning true) reaches context.Arguments.");
        console.WriteLine("  Only the command line sets them: no environment variable becomes an argument (settings read RECIPES_*).");

        foreach (var section in sections)
        {
            console.WriteLine(string.Empty);
            console.WriteLine($"{section.Title}:");
            WriteSection(console, section);
        }

        console.WriteLine(string.Empty);
        console.WriteLine("Cake settings (UseSetting):");
        if (settings.Count == 0)
        {
            console.WriteLine("  (none)");
        }

        foreach (var (key, value) in settings.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase))
        {
            console.WriteLine($"  {key} = {value}");
        }

        console.WriteLine(string.Empty);
        console.WriteLine("Exit codes: 0 success; 1 a task failed; 2 the command line or the build's configuration is wrong.");
    }

    /// <summary><c>--target=T --help</c>: the targets' descriptions, then only what each section says about them.</summary>
    private static void WriteTargets(IConsole console, IReadOnlyList<TaskNode> tasks, IEnumerable<IHelpSection> sections, IReadOnlyList<string> targets)
    {
        console.WriteLine($"Usage: ./build.sh --target={string.Join(" --target=", targets)} [--NAME=VALUE...]   (--help without a target lists everything)");
        foreach (var task in tasks.Where(t => targets.Contains(t.Name, StringComparer.OrdinalIgnoreCase)))
        {
            console.WriteLine($"  {task.Name}: {task.Description}");
        }

        foreach (var section in sections)
        {
            console.WriteLine(string.Empty);
            console.WriteLine($"{section.Title}:");
            WriteSection(console, section, targets);
        }
    }

    private static void WriteSection(IConsole console, IHelpSection section, IReadOnlyList<string>? targets = null)
    {
        try
        {
            if (targets is not null && section is ITargetHelpSection scoped)
            {
                scoped.Write(console, targets);
                return;
            }

            section.Write(console);
        }
        catch (Exception exception)
        {
            // Help is what people run when something is wrong; one broken section must not hide the rest.
            console.WriteLine($"  (this section could not be shown: {exception.Message})");
        }
    }

    private static string Usage(HostOption option)
    {
        var names = option.Aliases.Select(a => a.Length == 1 ? $"-{a}" : $"--{a}").Prepend($"--{option.Name}");
        var value = option.TakesValue ? $"={option.ValueName}" : string.Empty;
        return string.Join(", ", names) + value;
    }
}
