using Xunit;

namespace Acme.Greeter.Tests;

public sealed class GreeterTests
{
    [Fact]
    public void Greets_by_name() => Assert.Equal("Hello, Ada!", Greeter.Greet("Ada"));
}
