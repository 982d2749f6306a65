using System.Reflection;
using System.Reflection.Emit;
using Recipes.Deployment.Local;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment.Local;

/// <summary>The health-like paths found among an app assembly's string literals, for the advice after a 404.</summary>
public sealed class HealthPathHintsTests : IDisposable
{
    private readonly TempDirectory _temp = new("recipes-health-hints");

    public void Dispose() => _temp.Dispose();

    /// <summary>Compiles a small assembly whose only method loads each literal, as a route mapping would.</summary>
    private string AssemblyWith(params string[] literals)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("Routes"), typeof(object).Assembly);
        var type = assembly.DefineDynamicModule("Routes").DefineType("Routes", TypeAttributes.Public | TypeAttributes.Class);
        var il = type.DefineMethod("Map", MethodAttributes.Public | MethodAttributes.Static, typeof(void), Type.EmptyTypes).GetILGenerator();
        foreach (var literal in literals)
        {
            il.Emit(OpCodes.Ldstr, literal);
            il.Emit(OpCodes.Pop);
        }

        il.Emit(OpCodes.Ret);
        type.CreateType();
        var path = _temp.Combine("Routes.dll");
        assembly.Save(path);
        return path;
    }

    [Fact]
    public void Paths_with_a_health_word_are_found_in_order_and_other_literals_are_not()
    {
        var assembly = AssemblyWith("/about", "/healthz", "Server is healthy", "/api/ready", "https://example.com/health", "/healthz", "/LIVE");

        HealthPathHints.InAssembly(assembly).ShouldBe(["/healthz", "/api/ready", "/LIVE"]);
    }

    [Fact]
    public void At_most_five_paths_are_given()
    {
        var assembly = AssemblyWith([.. Enumerable.Range(1, 8).Select(n => $"/health{n}")]);

        HealthPathHints.InAssembly(assembly).ShouldBe(["/health1", "/health2", "/health3", "/health4", "/health5"]);
    }

    [Fact]
    public void The_test_apps_own_health_path_is_found_in_its_build_output()
    {
        var appDirectory = typeof(HealthPathHintsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RecipesTestAppDirectory").Value!;

        HealthPathHints.InAssembly(Path.Combine(appDirectory, "Recipes.TestApp.dll")).ShouldBe(["/health"]);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_or_is_missing_gives_no_paths()
    {
        var text = _temp.Combine("notes.dll");
        File.WriteAllText(text, "/healthz is not in an assembly");

        HealthPathHints.InAssembly(text).ShouldBeEmpty();
        HealthPathHints.InAssembly(_temp.Combine("missing.dll")).ShouldBeEmpty();
    }
}
