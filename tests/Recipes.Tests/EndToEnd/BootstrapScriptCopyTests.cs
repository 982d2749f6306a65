namespace Recipes.Tests.EndToEnd;

/// <summary>
/// This repository's build.sh and build.ps1 are the template's, with one difference: the build program here also
/// depends on src/ and eng/ (it uses the recipe from source), so those are among the inputs that trigger a compile.
/// A fix made to one copy must reach the other.
/// </summary>
public sealed class BootstrapScriptCopyTests
{
    [Theory]
    [InlineData("build.sh", "inputs=(build src eng ", "inputs=(build ")]
    [InlineData("build.ps1", "$inputs = @('build', 'src', 'eng', ", "$inputs = @('build', ")]
    public void The_repositorys_bootstrap_script_is_the_templates_but_for_its_inputs(string script, string ours, string template)
    {
        var root = File.ReadAllText(Path.Combine(RepositoryLayout.Root, script));
        var templated = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "src", "Recipes.Templates", "templates", "recipes-build", script));

        root.ShouldContain(ours);
        root.Replace(ours, template, StringComparison.Ordinal).ShouldBe(templated);
    }
}
