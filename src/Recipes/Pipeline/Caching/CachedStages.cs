using Recipes.Pipeline.Settings;

namespace Recipes.Pipeline.Caching;

/// <summary>What Compile, FastTests and Package share to use the stage cache: their inputs, a replay, keeping outputs.</summary>
internal static class CachedStages
{
    /// <summary>
    /// Variables the cached stages declare: MSBuild reads every variable as a property, but these are the ones that
    /// change what a build, test run or pack of the same files gives. Kept only as hashes.
    /// </summary>
    public static readonly IReadOnlyList<string> Variables = ["Configuration", "Platform", "NUGET_PACKAGES", "DOTNET_ROOT"];

    /// <summary>
    /// The settings each cached stage reads. A setting one stage alone reads is in that stage's key alone: artifacts
    /// (where test results and packages go, as the replay puts them back there) and ready-to-run (how apps are published).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> SettingsOf = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Compile"] = ["solution", "configuration"],
        ["FastTests"] = ["solution", "configuration", "artifacts", "fast-test-filter", "fast-tests", "slow-tests"],
        ["Package"] = ["solution", "configuration", "artifacts", "ready-to-run"],
    };

    /// <summary>
    /// The stage's inputs: the stage itself, every tracked file, the SDK, the recipe's version, this commit's version,
    /// the settings the stage reads, the MSBuild properties in force and the declared variables.
    /// </summary>
    public static StageInputs InputsOf(RecipeContext context, string stage)
    {
        var settings = SettingsOf.TryGetValue(stage, out var read) ? read : throw new ArgumentException($"{stage} is not a cached stage.", nameof(stage));
        // Two stages never share a key, so a key in the log names one stage's entry.
        var inputs = new StageInputs().Add("stage", stage);
        foreach (var (path, hash) in context.CacheInputs.Files)
        {
            inputs.Add(StageInputs.FilePrefix + path, hash);
        }

        var version = context.Version;
        inputs.Add(StageInputs.Sdk, context.CacheInputs.Sdk)
            .Add("recipe version", RunInputs.RecipeVersion)
            .Add("version", $"{version.InformationalVersion}, assembly {version.AssemblyVersion}, file {version.FileVersion}, dated {version.CommitDate:O}");
        foreach (var name in settings)
        {
            var setting = RecipeSettingTable.Find(name) ?? throw new ArgumentException($"{name} is not a setting.", nameof(settings));
            inputs.Add(StageInputs.SettingPrefix + name, setting.Read(context.Settings));
        }

        foreach (var (name, value) in context.Settings.MSBuildProperties)
        {
            inputs.AddHashed(StageInputs.PropertyPrefix + name, value);
        }

        foreach (var name in Variables)
        {
            inputs.AddHashed(StageInputs.VariablePrefix + name, context.Environment.GetEnvironmentVariable(name));
        }

        return inputs;
    }

    /// <summary>The cached outputs of the stage for <paramref name="inputs"/>, or null (a miss, said with its cause; or no cache in use).</summary>
    public static CachedStage? Find(RecipeContext context, string stage, StageInputs inputs) => context.StageCache?.Find(stage, inputs);

    /// <summary>Whether the cache holds the stage's outputs for <paramref name="inputs"/> (false without a cache); says nothing.</summary>
    public static bool Has(RecipeContext context, string stage, StageInputs inputs) => context.StageCache?.Has(stage, inputs) ?? false;

    /// <summary>Keeps the stage's outputs for <paramref name="inputs"/>, when the cache is in use.</summary>
    public static void Keep(RecipeContext context, string stage, StageInputs inputs, IEnumerable<string> outputs, string? data = null) =>
        context.StageCache?.Save(stage, inputs, outputs, data);
}
