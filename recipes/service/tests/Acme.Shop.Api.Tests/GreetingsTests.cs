using Xunit;

namespace Acme.Shop.Api.Tests;

public sealed class GreetingsTests
{
    [Fact]
    public void Greets_quietly_by_default() => Assert.Equal("Welcome, Ada.", Greetings.For("Ada", loud: false));

    [Fact]
    public void Greets_loudly_when_the_toggle_is_on() => Assert.Equal("WELCOME, ADA!", Greetings.For("Ada", loud: true));
}
