using Cake.Common.Tools.DotNet;

namespace Recipes.Pipeline.Settings;

/// <summary>
/// The team's changes to the settings of the dotnet calls the stages make (<c>Configure&lt;DotNetPackSettings&gt;</c>),
/// kept in the order they were added. Each stage builds its own settings first and hands them here just before the
/// call, so a hook sees, and may override, everything the recipe set.
/// </summary>
internal sealed class ToolSettingsHooks
{
    private readonly List<(Type Settings, Action<DotNetSettings, ToolCall> Change)> _hooks = [];

    /// <summary>The same hooks in a list of its own, so that adding to one does not change the other.</summary>
    public ToolSettingsHooks Copy()
    {
        var copy = new ToolSettingsHooks();
        copy._hooks.AddRange(_hooks);
        return copy;
    }

    /// <summary>Adds a hook for every call whose settings are a <typeparamref name="TSettings"/> (a base type reaches all its kinds).</summary>
    public void Add<TSettings>(Action<TSettings, ToolCall> change)
        where TSettings : DotNetSettings
    {
        ArgumentNullException.ThrowIfNull(change);
        _hooks.Add((typeof(TSettings), (settings, call) => change((TSettings)settings, call)));
    }

    /// <summary>Whether any hook would see a <typeparamref name="TSettings"/> call (one for it, or for a base type of it).</summary>
    public bool Any<TSettings>()
        where TSettings : DotNetSettings => _hooks.Any(hook => hook.Settings.IsAssignableFrom(typeof(TSettings)));

    /// <summary>Runs the hooks that take <paramref name="settings"/>' type, in the order they were added, and returns the settings.</summary>
    /// <param name="task">The task making the call.</param>
    /// <param name="project">The project or solution the call acts on.</param>
    /// <param name="settings">The settings the recipe built.</param>
    public TSettings Apply<TSettings>(string task, string project, TSettings settings)
        where TSettings : DotNetSettings
    {
        var call = new ToolCall(task, project);
        foreach (var (type, change) in _hooks)
        {
            if (type.IsInstanceOfType(settings))
            {
                change(settings, call);
            }
        }

        return settings;
    }
}
