using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>The parsed command line: the host's own options, the targets, and every other <c>--name=value</c>.</summary>
internal sealed class HostOptions
{
    public static readonly HostOption Target = new("target", ["t"], "NAME", "Target to run; repeat it, or list bare names, for several (default: Default)");
    public static readonly HostOption Verbosity = new("verbosity", ["v"], "LEVEL", "quiet, minimal, normal, verbose or diagnostic (also q, m, n, v, d)");
    public static readonly HostOption DryRun = new("dryrun", ["noop", "whatif"], null, "Show the tasks that would run, in order, without running any");
    public static readonly HostOption Tree = new("tree", [], null, "Show the dependency tree of every task");
    public static readonly HostOption Description = new("description", ["descriptions", "showdescription"], null, "Show every task with its description");
    public static readonly HostOption Exclusive = new("exclusive", ["e"], null, "Run the targets alone, without their dependencies");
    public static readonly HostOption Working = new("working", ["w"], "PATH", "Working directory of the build (default: the current one)");
    public static readonly HostOption Help = new("help", ["h", "?"], null, "Show targets, options and settings");
    public static readonly HostOption Version = new("version", [], null, "Show the versions of Recipes and Cake (--version=V is the setting 'version', the version to build)");
    public static readonly HostOption Info = new("info", [], null, "Show information about the Cake engine");

    /// <summary>The argument that -p:Name=Value adds to (A=1;B=2); the recipe's msbuild-properties setting reads it.</summary>
    public const string MSBuildPropertiesArgument = "msbuild-properties";

    public static readonly IReadOnlyList<HostOption> Table = [Target, Verbosity, DryRun, Tree, Description, Exclusive, Working, Help, Version, Info];

    public List<string> Targets { get; } = [];

    public Verbosity? LogVerbosity { get; set; }

    public HashSet<HostOption> Flags { get; } = [];

    public string? WorkingDirectory { get; set; }

    /// <summary>Every argument, with values in command-line order, keyed case-insensitively as Cake does.</summary>
    public Dictionary<string, List<string>> Arguments { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Has(HostOption flag) => Flags.Contains(flag);

    public void AddArgument(string name, string value)
    {
        if (!Arguments.TryGetValue(name, out var values))
        {
            Arguments[name] = values = [];
        }

        values.Add(value);
    }
}
