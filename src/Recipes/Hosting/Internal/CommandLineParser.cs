using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>
/// Reads Cake's command line. Host options take <c>--name=value</c> or <c>--name value</c>; any other argument must be
/// <c>--name=value</c> or a bare <c>--flag</c> (true), so that bare words can only be targets.
/// </summary>
internal static class CommandLineParser
{
    public static HostOptions Parse(IEnumerable<string> args)
    {
        var result = new HostOptions();
        var tokens = args.ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
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
                        $"Unknown option '{token}'. Build arguments take two dashes (--{name}=value); run with --help for the options.");
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
