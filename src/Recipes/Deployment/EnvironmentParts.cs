using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Recipes.Deployment;

/// <summary>Reads the nested parts of one environment: strategy, checks, toggles, configuration and secrets.</summary>
internal static partial class EnvironmentParts
{
    private const string Kinds = "in-place, blue-green, canary, dark-launch or rolling (target hosts)";
    private const int MaxBatch = 1000;
    private const int MaxMinRequests = 1_000_000;

    /// <summary>A minute: a floor above it would excuse any latency a web request could have.</summary>
    private const double MaxP95FloorMs = 60_000;
    private const int MaxProbeRate = 1000;
    private const string ProbeExample = "probe: true or probe: { path: /health, rate: 10/s }";

    public static DeploymentStrategy Strategy(YamlFields environment)
    {
        if (environment.Find("strategy") is not { } node)
        {
            return new InPlaceStrategy();
        }

        if (node is not YamlMappingNode)
        {
            throw environment.Error(node, "strategy", $"'strategy' must be a mapping with a kind, such as {{ kind: blue-green, grace-period: 30s }}; kinds are {Kinds}.");
        }

        // The kind decides which other keys are allowed, so it is read before the mapping is checked as a whole.
        var kind = node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode("kind"), out var kindNode)
            ? (kindNode as YamlScalarNode)?.Value
            : null;
        switch (kind)
        {
            case InPlaceStrategy.Name:
                _ = Fields(environment, node, "strategy", ["kind"]);
                return new InPlaceStrategy();
            case BlueGreenStrategy.Name:
                var blueGreen = Fields(environment, node, "strategy", ["kind", "grace-period", "slow-start"]);
                return new BlueGreenStrategy(blueGreen.OptionalDuration("grace-period", allowZero: true) ?? BlueGreenStrategy.DefaultGracePeriod)
                {
                    SlowStart = SlowStart(blueGreen),
                };
            case CanaryStrategy.Name:
                var canary = Fields(environment, node, "strategy", ["kind", "steps", "pause", "max-error-rate", "max-p95-ratio", "p95-floor-ms", "min-requests", "probe"]);
                return new CanaryStrategy(
                    CanarySteps(canary) ?? CanaryStrategy.DefaultSteps,
                    canary.OptionalDuration("pause") ?? CanaryStrategy.DefaultPause,
                    canary.OptionalNumber("max-error-rate", 0, 1) ?? CanaryStrategy.DefaultMaxErrorRate,
                    canary.OptionalNumber("max-p95-ratio", 1, 100) ?? CanaryStrategy.DefaultMaxP95Ratio)
                {
                    MinRequests = canary.OptionalInt("min-requests", 1, MaxMinRequests) ?? CanaryStrategy.DefaultMinRequests,
                    P95FloorMs = canary.OptionalNumber("p95-floor-ms", 0, MaxP95FloorMs) ?? CanaryStrategy.DefaultP95FloorMs,
                    Probe = CanaryProbe(canary),
                };
            case DarkLaunchStrategy.Name:
                var dark = Fields(environment, node, "strategy", ["kind", "duration", "percentage", "max-error-rate"]);
                return new DarkLaunchStrategy(
                    dark.OptionalDuration("duration") ?? DarkLaunchStrategy.DefaultDuration,
                    dark.OptionalInt("percentage", 0, 100) ?? DarkLaunchStrategy.DefaultPercentage,
                    dark.OptionalNumber("max-error-rate", 0, 1) ?? DarkLaunchStrategy.DefaultMaxErrorRate);
            case RollingStrategy.Name:
                var rolling = Fields(environment, node, "strategy", ["kind", "batch", "pause"]);
                return new RollingStrategy(rolling.OptionalInt("batch", 1, MaxBatch) ?? 1, rolling.OptionalDuration("pause", allowZero: true) ?? TimeSpan.Zero);
            case null:
                var strategy = Fields(environment, node, "strategy", ["kind", "grace-period", "slow-start", "steps", "pause", "max-error-rate", "max-p95-ratio", "p95-floor-ms", "min-requests", "probe", "duration", "percentage", "batch"]);
                throw strategy.Error(node, "kind", $"'strategy.kind' is missing; use {Kinds}.");
            default:
                throw environment.Error(((YamlMappingNode)node).Children[new YamlScalarNode("kind")], "strategy.kind", $"'strategy.kind' is '{kind}'; use {Kinds}.");
        }
    }

    private static TimeSpan SlowStart(YamlFields blueGreen)
    {
        var slowStart = blueGreen.OptionalDuration("slow-start", allowZero: true) ?? TimeSpan.Zero;
        return slowStart <= BlueGreenStrategy.MaxSlowStart
            ? slowStart
            : throw blueGreen.Error(blueGreen.Find("slow-start")!, "slow-start",
                $"'strategy.slow-start' is {slowStart.TotalSeconds:0} s, longer than {BlueGreenStrategy.MaxSlowStart.TotalSeconds:0} s; a few seconds let a new release warm up, and a longer gradual move wants a canary, which checks each step.");
    }

    public static HealthCheck Health(YamlFields environment)
    {
        if (environment.Find("health") is not { } node)
        {
            return HealthCheck.Default;
        }

        var health = Fields(environment, node, "health", ["path", "timeout", "expected-status"]);
        return new HealthCheck(
            health.OptionalPath("path") ?? HealthCheck.Default.Path,
            health.OptionalDuration("timeout") ?? HealthCheck.Default.Timeout,
            health.OptionalInt("expected-status", 100, 599) ?? HealthCheck.Default.ExpectedStatus);
    }

    public static IReadOnlyList<SmokeCheck> Smoke(YamlFields environment)
    {
        if (environment.Find("smoke") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw environment.Error(node, "smoke", "'smoke' must be a list of checks, such as [ { path: /version, expected-status: 200 } ].");
        }

        return list.Children.Select((item, index) =>
        {
            var check = Fields(environment, item, $"smoke[{index}]", ["path", "expected-status"]);
            return new SmokeCheck(
                check.OptionalPath("path") ?? throw check.Error(item, "path", $"'smoke[{index}].path' is missing; add the request path, such as path: /version."),
                check.OptionalInt("expected-status", 100, 599) ?? 200);
        }).ToList();
    }

    public static IReadOnlyDictionary<string, FeatureToggle> Features(YamlFields environment)
    {
        var toggles = new Dictionary<string, FeatureToggle>(StringComparer.Ordinal);
        foreach (var (name, value) in Entries(environment, "features"))
        {
            if (value is YamlScalarNode)
            {
                toggles[name] = new FeatureToggle(environment.Bool(value, $"features.{name}"));
                continue;
            }

            var toggle = Fields(environment, value, $"features.{name}", ["percentage"]);
            var percentage = toggle.OptionalInt("percentage", 0, 100)
                ?? throw toggle.Error(value, "percentage", $"'features.{name}.percentage' is missing; write true, false or {{ percentage: 10 }}.");
            toggles[name] = new FeatureToggle(percentage > 0, percentage);
        }

        return toggles;
    }

    public static IReadOnlyDictionary<string, string> Config(YamlFields environment)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Entries(environment, "config"))
        {
            config[name] = value is YamlScalarNode scalar
                ? scalar.Value ?? string.Empty
                : throw environment.Error(value, $"config.{name}", $"'config.{name}' must be a single value; configuration values are text.");
        }

        return config;
    }

    public static IReadOnlyDictionary<string, SecretReference> Secrets(YamlFields environment)
    {
        var secrets = new Dictionary<string, SecretReference>(StringComparer.Ordinal);
        foreach (var (name, value) in Entries(environment, "secrets"))
        {
            // The value is never repeated in the message: if it is a literal secret, the log must not spread it further.
            if (value is not YamlMappingNode)
            {
                throw environment.Error(value, $"secrets.{name}",
                    $"'secrets.{name}' must reference an environment variable, never hold the secret itself; write {name}: {{ from-env: VARIABLE }} and remove the value from the file's history.");
            }

            var secret = Fields(environment, value, $"secrets.{name}", ["from-env"]);
            var variable = secret.RequiredString("from-env", "SHOP_API_KEY");
            if (!VariablePattern().IsMatch(variable))
            {
                throw secret.Error(secret.Find("from-env")!, "from-env", $"'secrets.{name}.from-env' is not an environment variable name; use letters, digits and '_', such as SHOP_API_KEY.");
            }

            secrets[name] = new SecretReference(variable);
        }

        return secrets;
    }

    private static IEnumerable<(string Name, YamlNode Value)> Entries(YamlFields environment, string key)
    {
        if (environment.Find(key) is not { } node)
        {
            yield break;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw environment.Error(node, key, $"'{key}' must be a mapping of names to values.");
        }

        foreach (var (name, value) in mapping.Children)
        {
            yield return ((name as YamlScalarNode)?.Value ?? string.Empty, value);
        }
    }

    private static List<int>? CanarySteps(YamlFields canary)
    {
        if (canary.Find("steps") is not { } node)
        {
            return null;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw canary.Error(node, "steps", "'strategy.steps' must be a list of percentages, such as [10, 50, 100].");
        }

        var steps = new List<int>();
        foreach (var item in list.Children)
        {
            var text = (item as YamlScalarNode)?.Value;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1 || step > 100)
            {
                throw canary.Error(item, "steps", $"'strategy.steps' has '{text}'; each step is a percentage of traffic from 1 to 100.");
            }

            if (steps.Count > 0 && step <= steps[^1])
            {
                throw canary.Error(item, "steps", $"'strategy.steps' goes from {steps[^1]} to {step}; the steps must increase, such as [10, 50, 100].");
            }

            steps.Add(step);
        }

        return steps[^1] == 100
            ? steps
            : throw canary.Error(node, "steps", $"'strategy.steps' ends at {steps[^1]}; the last step must be 100, so that the new version takes all traffic.");
    }

    /// <summary><c>probe: true</c> (the smoke paths at the default rate), <c>false</c>, or <c>{ path, rate }</c>.</summary>
    private static CanaryProbe? CanaryProbe(YamlFields canary)
    {
        switch (canary.Find("probe"))
        {
            case null:
                return null;
            case YamlScalarNode { Value: var text } scalar:
                return text?.ToLowerInvariant() switch
                {
                    "true" => new CanaryProbe(null, Deployment.CanaryProbe.DefaultRequestsPerSecond),
                    "false" => null,
                    _ => throw canary.Error(scalar, "probe", $"'strategy.probe' is '{text}'; write {ProbeExample}."),
                };
            case var node:
                var probe = Fields(canary, node, "probe", ["path", "rate"]);
                return new CanaryProbe(probe.OptionalPath("path"), ProbeRate(probe) ?? Deployment.CanaryProbe.DefaultRequestsPerSecond);
        }
    }

    /// <summary>Requests per second, written <c>10/s</c> or <c>10</c>.</summary>
    private static int? ProbeRate(YamlFields probe)
    {
        if (probe.OptionalString("rate") is not { } text)
        {
            return null;
        }

        var number = text.EndsWith("/s", StringComparison.Ordinal) ? text[..^2] : text;
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate is >= 1 and <= MaxProbeRate
            ? rate
            : throw probe.Error(probe.Find("rate")!, "rate", $"'strategy.probe.rate' is '{text}'; use requests per second from 1 to {MaxProbeRate}, such as rate: 10/s.");
    }

    private static YamlFields Fields(YamlFields parent, YamlNode node, string field, IReadOnlyList<string> knownKeys) =>
        new(parent.File, node, parent.Prefix + field + ".", knownKeys);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();
}
