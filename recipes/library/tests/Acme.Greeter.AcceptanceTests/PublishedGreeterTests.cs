using System.Reflection;
using Xunit;

namespace Acme.Greeter.AcceptanceTests;

public sealed class PublishedGreeterTests
{
    [Fact]
    public void The_published_package_greets_by_name() => Assert.Equal("Hello, Grace!", Greeter.Greet("Grace"));

    [Fact]
    public void The_assembly_carries_the_version_under_test()
    {
        var expected = Environment.GetEnvironmentVariable("RECIPES_EXPECTED_VERSION");
        var informational = typeof(Greeter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Assert.NotNull(informational);
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.StartsWith(expected, informational);
        }
    }
}
