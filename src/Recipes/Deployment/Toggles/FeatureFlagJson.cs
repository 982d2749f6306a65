using System.Globalization;
using System.Text.Json.Nodes;

namespace Recipes.Deployment.Toggles;

/// <summary>
/// One entry of <c>feature_management.feature_flags</c> (the Microsoft Feature Flag schema) to and from a
/// <see cref="FeatureExposure"/>.
/// </summary>
internal static class FeatureFlagJson
{
    public const string Section = "feature_management";
    public const string Flags = "feature_flags";
    public const string PercentageFilter = "Microsoft.Percentage";
    public const string TargetingFilter = "Microsoft.Targeting";

    public static string Id(string file, JsonObject flag) =>
        flag["id"] is JsonValue value && value.TryGetValue<string>(out var id) && !string.IsNullOrWhiteSpace(id)
            ? id
            : throw Malformed(file, "every feature flag needs a non-empty \"id\"");

    public static FeatureExposure Read(string file, JsonObject flag)
    {
        var id = Id(file, flag);
        var enabled = flag["enabled"] switch
        {
            null => false,
            JsonValue value when value.TryGetValue<bool>(out var on) => on,
            JsonValue value when value.TryGetValue<string>(out var text) && bool.TryParse(text, out var on) => on,
            _ => throw Malformed(file, $"\"enabled\" of '{id}' must be true or false"),
        };
        if (!enabled)
        {
            return FeatureExposure.Off;
        }

        var filters = (flag["conditions"] as JsonObject)?["client_filters"] as JsonArray;
        if (filters is null || filters.Count == 0)
        {
            return FeatureExposure.On;
        }

        if (filters.Count > 1 || filters[0] is not JsonObject filter || filter["name"] is not JsonValue nameValue
            || !nameValue.TryGetValue<string>(out var name))
        {
            throw Unmanaged(file, id, "several client filters");
        }

        var parameters = filter["parameters"] as JsonObject;
        return name switch
        {
            PercentageFilter or "Percentage" or "PercentageFilter" =>
                FeatureExposure.ForPercentage(Percent(file, id, Get(parameters, "Value"), "Value")),
            TargetingFilter or "Targeting" or "TargetingFilter" => FeatureExposure.ForTargeting(Audience(file, id, Get(parameters, "Audience") as JsonObject)),
            _ => throw Unmanaged(file, id, $"the filter '{name}'"),
        };
    }

    public static void Write(JsonObject flag, FeatureExposure exposure)
    {
        flag["enabled"] = exposure.Enabled;
        var filter = !exposure.Enabled ? null
            : exposure.Percentage is { } percentage ? new JsonObject
            {
                ["name"] = PercentageFilter,
                ["parameters"] = new JsonObject { ["Value"] = percentage },
            }
            : exposure.Targeting is { } targeting ? new JsonObject
            {
                ["name"] = TargetingFilter,
                ["parameters"] = new JsonObject
                {
                    ["Audience"] = new JsonObject
                    {
                        ["Users"] = new JsonArray([.. targeting.Users.Select(user => (JsonNode?)JsonValue.Create(user))]),
                        ["Groups"] = new JsonArray([.. targeting.Groups.Select(group => (JsonNode?)new JsonObject
                        {
                            ["Name"] = group.Name,
                            ["RolloutPercentage"] = group.RolloutPercentage,
                        })]),
                        ["DefaultRolloutPercentage"] = targeting.DefaultRolloutPercentage,
                    },
                },
            }
            : null;

        if (filter is null)
        {
            flag.Remove("conditions");
        }
        else
        {
            flag["conditions"] = new JsonObject { ["client_filters"] = new JsonArray(filter) };
        }
    }

    private static FeatureTargeting Audience(string file, string id, JsonObject? audience)
    {
        if (audience is null)
        {
            throw Malformed(file, $"the targeting filter of '{id}' needs \"parameters\": {{ \"Audience\": {{ ... }} }}");
        }

        var users = (Get(audience, "Users") as JsonArray ?? [])
            .Select(user => user is JsonValue value && value.TryGetValue<string>(out var name) ? name : throw Malformed(file, $"the targeted users of '{id}' must be names"))
            .ToList();
        var groups = (Get(audience, "Groups") as JsonArray ?? [])
            .Select(node => node is JsonObject group && Get(group, "Name") is JsonValue nameValue && nameValue.TryGetValue<string>(out var name)
                ? new TargetedGroup(name, Percent(file, id, Get(group, "RolloutPercentage"), "RolloutPercentage"))
                : throw Malformed(file, $"each targeted group of '{id}' needs \"Name\" and \"RolloutPercentage\""))
            .ToList();
        var rest = Get(audience, "DefaultRolloutPercentage") is { } node ? Percent(file, id, node, "DefaultRolloutPercentage") : 0;
        return new FeatureTargeting(users, groups, rest);
    }

    /// <summary>A property by name, ignoring case as configuration does.</summary>
    private static JsonNode? Get(JsonObject? parent, string name) =>
        parent?.FirstOrDefault(property => string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static int Percent(string file, string id, JsonNode? node, string field)
    {
        double? value = node is JsonValue json
            ? json.TryGetValue<double>(out var number) ? number
            : json.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) ? number
            : null
            : null;
        return value is >= 0 and <= 100 && value == Math.Floor(value.Value)
            ? (int)value.Value
            : throw Malformed(file, $"\"{field}\" of '{id}' must be a whole percentage from 0 to 100");
    }

    private static FeatureReleaseException Malformed(string file, string problem) =>
        new($"The features file {file} is not in Microsoft.FeatureManagement's format: {problem}; fix it or remove it to start afresh.");

    private static FeatureReleaseException Unmanaged(string file, string id, string what) =>
        new($"Feature '{id}' in {file} uses {what}, which Recipes does not manage; change it by hand, or remove its \"conditions\" to let Recipes set it.");
}
