using System.Text.RegularExpressions;
using Recipes.Deployment.Notify;
using Recipes.Deployment.Watch;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment;

/// <summary>
/// Reads the environments file (<c>environments.yml</c> at the repository root by default): the environments in
/// promotion order, each with its target, artifact, port, strategy, checks, feature toggles, configuration and
/// secret references. Everything is checked on load; the first problem stops it with the file, line and field.
/// </summary>
public static partial class EnvironmentsFile
{
    /// <summary>The file's name when the <c>environments-file</c> setting names no other.</summary>
    public const string DefaultFileName = "environments.yml";

    private static readonly string[] EnvironmentKeys =
        ["name", "target", "artifact", "port", "strategy", "health", "smoke", "approval", "features", "config", "secrets", "watch", "notify", "drift", Database.DatabaseSettings.Field];

    /// <summary>Reads and checks the environments file at <paramref name="path"/>.</summary>
    /// <exception cref="EnvironmentsFileException">The file is missing, is not valid YAML, or describes an environment wrongly.</exception>
    public static EnvironmentsDefinition Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new EnvironmentsFileException(path, 1, null,
                $"the environments file does not exist; create it (see Environments in the README) or set environments-file to the right path.");
        }

        return Parse(path, System.IO.File.ReadAllText(path));
    }

    /// <summary>Reads and checks environments from YAML text; <paramref name="file"/> names it in messages.</summary>
    internal static EnvironmentsDefinition Parse(string file, string yaml) => Parse(file, yaml, DeploymentTargets.Builtin);

    /// <summary>Reads and checks environments from YAML text against the deployment targets of <paramref name="targets"/>.</summary>
    internal static EnvironmentsDefinition Parse(string file, string yaml, DeploymentTargets targets)
    {
        var root = ReadRoot(file, yaml);
        if (root is not YamlMappingNode)
        {
            throw new EnvironmentsFileException(file, (int)root.Start.Line, null,
                "the file must start with 'environments:' followed by the list of environments, each starting with '- name: ...'.");
        }

        var top = new YamlFields(file, root, string.Empty, ["environments"]);
        if (top.Find("environments") is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw new EnvironmentsFileException(file, top.Line, "environments",
                "'environments' must be a non-empty list, one entry per environment in promotion order, each starting with '- name: ...'.");
        }

        var environments = new List<DeploymentEnvironment>();
        foreach (var node in list.Children)
        {
            var environment = ReadEnvironment(file, node, targets);
            CheckUnique(file, environments, environment);
            environments.Add(environment);
        }

        return new EnvironmentsDefinition(file, environments);
    }

    private static YamlNode ReadRoot(string file, string yaml)
    {
        var lines = yaml.Split('\n');
        RefuseTabIndentation(file, lines, 0, lines.Length);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            // The parser stops at a tab it cannot take, or on the line before it, without saying so.
            var line = Math.Max(1, (int)exception.Start.Line);
            RefuseTab(file, lines, line, line + 1, exception);
            throw new EnvironmentsFileException(file, line, null, $"not valid YAML: {ParserReason(exception)}", exception);
        }

        if (stream.Documents.Count == 0 || YamlFields.IsNull(stream.Documents[0].RootNode))
        {
            throw new EnvironmentsFileException(file, 1, null, "the file is empty; list the environments under 'environments:', each starting with '- name: ...'.");
        }

        if (stream.Documents.Count > 1)
        {
            throw new EnvironmentsFileException(file, (int)stream.Documents[1].RootNode.Start.Line, null,
                "the file holds more than one YAML document; keep every environment in one list under 'environments:'.");
        }

        return stream.Documents[0].RootNode;
    }

    private static DeploymentEnvironment ReadEnvironment(string file, YamlNode node, DeploymentTargets targets)
    {
        if (node is not YamlMappingNode)
        {
            throw new EnvironmentsFileException(file, (int)node.Start.Line, null,
                "each environment must be a mapping of its fields, starting with '- name: ...' and continuing with 'artifact:', 'port:' and the rest.");
        }

        var fields = new YamlFields(file, node, string.Empty, [.. EnvironmentKeys, .. targets.TargetFields]);
        var name = fields.RequiredString("name", "staging");
        if (!NamePattern().IsMatch(name))
        {
            throw fields.Error(fields.Find("name")!, "name", $"'name' is '{name}'; use letters, digits, '-' and '_', starting with a letter.");
        }

        var target = fields.OptionalString("target") ?? DeploymentEnvironment.LocalTarget;
        var registration = targets.Find(target)
            ?? throw fields.Error(fields.Find("target")!, "target", $"target: '{target}' is not a deployment target; known: {targets.Known}");
        RefuseOtherTargetsFields(fields, targets, registration);

        var artifact = fields.RequiredString("artifact", "Acme.Shop.Api");
        var port = fields.OptionalInt("port", 1, 65535)
            ?? throw fields.Error(node, "port", "'port' is missing; add the environment's public port on loopback, for example port: 5080.");

        var strategy = EnvironmentParts.Strategy(fields);
        if (strategy is RollingStrategy && target != Hosts.HostsTarget.Name)
        {
            throw fields.Error(fields.Find("strategy")!, "strategy", $"'strategy' is rolling, which switches a fleet's hosts in batches; target {target} runs one copy of each release: use blue-green or canary.");
        }

        return new DeploymentEnvironment(
            name,
            target,
            artifact,
            port,
            strategy,
            EnvironmentParts.Health(fields),
            EnvironmentParts.Smoke(fields),
            fields.OptionalBool("approval") ?? false,
            EnvironmentParts.Features(fields),
            EnvironmentParts.Config(fields),
            EnvironmentParts.Secrets(fields),
            fields.Line)
        {
            TargetSettings = registration.ReadFields(fields),
            Watch = WatchSettings.Read(fields),
            Notify = NotifySettings.Read(fields),
            DriftIgnore = Drift.DriftFields.Ignore(fields),
            Database = DatabaseFor(fields, targets, registration),
        };
    }

    /// <summary>The environment's database, which only a target that fetches the package (and so its migration scripts) can serve.</summary>
    private static Database.DatabaseSettings? DatabaseFor(YamlFields fields, DeploymentTargets targets, DeploymentTargetRegistration registration)
    {
        var database = Database.DatabaseSettings.Read(fields);
        if (database is not null && !registration.ProvidesPackageFile)
        {
            throw fields.Error(fields.Find(Database.DatabaseSettings.Field)!, Database.DatabaseSettings.Field,
                $"'database' needs the migration scripts in the release's package, and target '{registration.Name}' deploys no package; remove 'database:' or use a target that does: {targets.WithPackageFile}.");
        }

        return database;
    }

    /// <summary>A field only another target reads is a mistake here (a copied environment, a wrong target), not to be ignored.</summary>
    private static void RefuseOtherTargetsFields(YamlFields fields, DeploymentTargets targets, DeploymentTargetRegistration registration)
    {
        foreach (var field in targets.TargetFields.Except(registration.Fields, StringComparer.Ordinal))
        {
            if (fields.Find(field) is { } value)
            {
                var owners = string.Join(", ", targets.OwnersOf(field));
                throw fields.Error(value, field, $"'{field}' is a field of the {owners} target, and this environment's target is '{registration.Name}'; remove it or set target: {owners}.");
            }
        }
    }

    private static void CheckUnique(string file, List<DeploymentEnvironment> earlier, DeploymentEnvironment environment)
    {
        if (earlier.FirstOrDefault(e => e.Name == environment.Name) is { } sameName)
        {
            throw new EnvironmentsFileException(file, environment.Line, "name",
                $"environment '{environment.Name}' is defined twice (first at line {sameName.Line}); give each environment its own name.");
        }

        if (earlier.FirstOrDefault(e => e.Port == environment.Port) is { } samePort)
        {
            throw new EnvironmentsFileException(file, environment.Line, "port",
                $"'port' {environment.Port} of '{environment.Name}' is already the port of '{samePort.Name}' (line {samePort.Line}); give each environment its own port.");
        }
    }

    /// <summary>YAML indents with spaces only; a tab there is named with its own line and key before the parser misplaces it.</summary>
    private static void RefuseTabIndentation(string file, string[] lines, int from, int to)
    {
        for (var index = from; index < to && index < lines.Length; index++)
        {
            var indentation = lines[index].Length - lines[index].TrimStart(' ', '\t').Length;
            if (lines[index].AsSpan(0, indentation).Contains('\t'))
            {
                throw TabError(file, lines, index, "is indented with a tab", null);
            }
        }
    }

    /// <summary>Names the first tab on the 1-based lines <paramref name="first"/> to <paramref name="last"/>, if any.</summary>
    private static void RefuseTab(string file, string[] lines, int first, int last, YamlException exception)
    {
        for (var index = Math.Max(0, first - 1); index < last && index < lines.Length; index++)
        {
            if (lines[index].Contains('\t'))
            {
                throw TabError(file, lines, index, "has a tab the YAML parser cannot take", exception);
            }
        }
    }

    private static EnvironmentsFileException TabError(string file, string[] lines, int index, string problem, Exception? inner)
    {
        var content = lines[index].Trim().TrimStart('-').Trim();
        var colon = content.IndexOf(':', StringComparison.Ordinal);
        var field = colon > 0 ? content[..colon].Trim() : null;
        var subject = field is null ? $"line {index + 1}" : $"'{field}'";
        return new EnvironmentsFileException(file, index + 1, field,
            $"{subject} {problem}; YAML takes spaces only: replace the tab with spaces.", inner);
    }

    /// <summary>The parser's explanation without the location it puts in front ("(Line: 3, Col: 1, Idx: 20) - (...): ").</summary>
    private static string ParserReason(YamlException exception)
    {
        var message = exception.Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && separator >= 0 ? message[(separator + 3)..] : message;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
