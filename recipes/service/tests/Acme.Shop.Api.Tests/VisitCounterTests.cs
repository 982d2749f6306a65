using Xunit;

namespace Acme.Shop.Api.Tests;

public sealed class VisitCounterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acme-visits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Starts_at_zero_in_an_empty_folder() => Assert.Equal(0, new VisitCounter(_folder).Read());

    [Fact]
    public async Task Two_counters_on_one_folder_counting_at_once_lose_no_visit()
    {
        // Two releases during a blue-green switch: each has its own counter (own open files) on the same data folder.
        var blue = new VisitCounter(_folder);
        var green = new VisitCounter(_folder);

        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => (i % 2 == 0 ? blue : green).IncrementAsync())));

        Assert.Equal(400, blue.Read());
        Assert.Equal(Enumerable.Range(1, 400).Select(n => (long)n), answers.Order());
    }

    [Fact]
    public void Outside_a_deployment_it_counts_in_the_working_directory()
    {
        var counter = VisitCounter.ForDataFolder(null);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "visits.count"), counter.CountFile);
        Assert.Equal(Path.Combine(_folder, "visits.count"), VisitCounter.ForDataFolder(_folder).CountFile);
    }
}
