using Recipes.Deployment;

namespace Recipes.Tests.Deployment;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData(" 2m ", 120_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_read_with_their_unit(string text, long milliseconds) =>
        DurationText.TryParse(text).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("30")]
    [InlineData("1.5s")]
    [InlineData("-3s")]
    [InlineData("3 s")]
    [InlineData("3d")]
    [InlineData("99999999999s")]
    public void Anything_else_is_not_a_duration(string text) => DurationText.TryParse(text).ShouldBeNull();

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(45_000, "45s")]
    [InlineData(90_000, "90s")]
    [InlineData(120_000, "2m")]
    [InlineData(7_200_000, "2h")]
    public void Format_gives_the_shortest_form_that_reads_back(long milliseconds, string text)
    {
        DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(text);
        DurationText.TryParse(text).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }
}
