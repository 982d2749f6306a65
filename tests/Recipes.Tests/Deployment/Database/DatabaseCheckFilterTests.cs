using Recipes.Deployment.Database;

namespace Recipes.Tests.Deployment.Database;

/// <summary>
/// Which dotnet test filter selects a project's DatabaseCheck tests: MSTest knows only TestCategory (and rejects a
/// filter that names Category); xunit's traits and NUnit take Category.
/// </summary>
public sealed class DatabaseCheckFilterTests
{
    [Theory]
    [InlineData("""<Project Sdk="MSTest.Sdk/3.6.4"></Project>""", "TestCategory=DatabaseCheck")]
    [InlineData("""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="MSTest" /></ItemGroup></Project>""", "TestCategory=DatabaseCheck")]
    [InlineData("""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" /></ItemGroup></Project>""", "Category=DatabaseCheck")]
    [InlineData("""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="NUnit" /></ItemGroup></Project>""", "Category=DatabaseCheck")]
    public void The_filter_names_the_property_the_projects_test_framework_knows(string projectFile, string filter) =>
        LiveReleaseDatabaseChecks.FilterFor(projectFile).ShouldBe(filter);
}
