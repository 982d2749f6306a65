using Cake.Common.Tools.DotNet.MSBuild;

namespace Recipes.Pipeline.Settings;

/// <summary>The msbuild-properties setting as text (<c>A=1;B=2</c>, as after dotnet's -p:), and how it reaches Cake's settings.</summary>
internal static class MSBuildPropertiesText
{
    /// <summary>The setting's name; -p:Name=Value on the command line sets it too.</summary>
    public const string SettingName = Hosting.Internal.HostOptions.MSBuildPropertiesArgument;

    /// <summary>
    /// Adds the properties of <paramref name="text"/> to <paramref name="properties"/>, a later value of a name winning,
    /// so code, recipes.json, the environment and the command line add up as repeated -p: do.
    /// </summary>
    public static void AddTo(IDictionary<string, string> properties, string text)
    {
        foreach (var item in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=');
            if (equals <= 0)
            {
                throw new SettingValueException($"is not a list of MSBuild properties: '{item}' should be Name=Value (several as A=1;B=2)");
            }

            properties[item[..equals].Trim()] = item[(equals + 1)..].Trim();
        }
    }

    /// <summary>The properties as the setting's text, or null when there are none.</summary>
    public static string? Format(IDictionary<string, string> properties) =>
        properties.Count == 0 ? null : string.Join(';', properties.Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Adds the team's properties to a restore, build, test, pack or publish; the recipe's own (the version) win.</summary>
    public static DotNetMSBuildSettings Apply(IDictionary<string, string> properties, DotNetMSBuildSettings settings)
    {
        foreach (var (name, value) in properties)
        {
            settings.Properties.TryAdd(name, [value]);
        }

        return settings;
    }
}
