using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Reads Cake's command line. Host options take <c>--name=value</c> or <c>--name value</c>; any other argument must be
/// <c>--name=value</c> or a bare <c>--flag</c> (true), so that bare words can only be targets. MSBuild properties take
/// <c>-p:Name=Value</c> as dotnet does and become the msbuild-properties setting.
/// </summary>
internal static partial class CommandLineParser
{
    /// <summary>MSBuild properties as dotnet takes them: -p:, /p:, -property:, --property: (and --p:, which would otherwise do nothing).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^(?:--?|/)(?:p|property):(?<properties>.*)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MSBuildPropertySwitch { get; }

    public static HostOptions Parse(IEnumerable<string> args)
    {
        var result = new HostOptions();
        var tokens = args.ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (MSBuildPropertySwitch.Match(token) is { Success: true } property)
            {
                AddProperties(result, token, property.Groups["properties"].Value);
                continue;
            }

            if (!token.StartsWith('-') || token == "-")
            {
                result.Targets.Add(token);
                continue;
            }

            var isLong = token.StartsWith("--", StringComparison.Ordinal);
            var body = token[(isLong ? 2 : 1)..];
            var equals = body.IndexOf('=');
            var name = equals < 0 ? body : body[..equals];
            var value = equals < 0 ? null : body[(equals + 1)..];
            if (name.Length == 0)
            {
                throw new CommandLineException($"'{token}' has no name. Arguments look like --name=value.");
            }

            var option = HostOptions.Table.FirstOrDefault(o => o.Matches(name));
            if (option is null)
            {
                if (!isLong)
                {
                    throw new CommandLineException(
                        $"Unknown option '{token}'. Build arguments and settings take two dashes (--name=value), MSBuild properties -p:Name=Value; run with --help for the options.");
                }

                result.AddArgument(name, value ?? "true");
                continue;
            }

            if (option.TakesValue)
            {
                if (value is null)
                {
                    if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new CommandLineException($"Option '{token}' needs a value: --{option.Name}={option.ValueName}.");
                    }

                    value = tokens[++i];
                }

                Apply(result, option, value);
                continue;
            }

            if (value is null || bool.TryParse(value, out _))
            {
                if (value is null || bool.Parse(value))
                {
                    result.Flags.Add(option);
                }

                continue;
            }

            // A flag given a value that is not a boolean is a build argument (e.g. --version=1.2.3 for Deploy), as in Cake.
            result.AddArgument(option.Name, value);
        }

        foreach (var target in result.Targets)
        {
            result.AddArgument(HostOptions.Target.Name, target);
        }

        return result;
    }

    /// <summary>Adds <c>A=1;B=2</c> to the msbuild-properties setting, after any given before, as dotnet merges repeated -p.</summary>
    private static void AddProperties(HostOptions result, string token, string properties)
    {
        var items = properties.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wrong = items.FirstOrDefault(item => item.IndexOf('=') <= 0);
        if (items.Length == 0 || wrong is not null)
        {
            throw new CommandLineException(
                $"'{token}' is not an MSBuild property: write -p:Name=Value, several as -p:A=1;B=2 (quote them in the shell).");
        }

        var name = HostOptions.MSBuildPropertiesArgument;
        var before = result.Arguments.TryGetValue(name, out var values) ? values[^1] + ";" : string.Empty;
        result.Arguments[name] = [before + string.Join(';', items)];
    }

    private static void Apply(HostOptions result, HostOption option, string value)
    {
        if (option == HostOptions.Target)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new CommandLineException("--target needs a task name.");
            }

            result.Targets.Add(value);
        }
        else if (option == HostOptions.Verbosity)
        {
            if (!VerbosityParser.TryParse(value, out var verbosity))
            {
                throw new CommandLineException(
                    $"'{value}' is not a verbosity. Use quiet, minimal, normal, verbose or diagnostic.");
            }

            result.LogVerbosity = verbosity;
            result.AddArgument(option.Name, value);
        }
        else if (option == HostOptions.Working)
        {
            result.WorkingDirectory = value;
        }
    }
}

/// <summary>A command line the host cannot run: says which argument and what to type instead.</summary>
internal sealed class CommandLineException(string message) : FrostingException(message);
