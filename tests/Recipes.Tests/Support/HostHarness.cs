using Microsoft.Extensions.DependencyInjection;
using Recipes.Hosting;

namespace Recipes.Tests.Support;

/// <summary>A host whose console output, environment and task journal the test owns.</summary>
internal sealed class HostHarness
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public HostHarness(Dictionary<string, string>? environment = null)
    {
        Environment = environment ?? [];
        Host = new CakeHost()
            .UseConsole(_output, _error)
            .UseEnvironment(Environment)
            .ConfigureServices(services => services.AddSingleton(Journal));
    }

    public CakeHost Host { get; }

    public Journal Journal { get; } = new();

    public Dictionary<string, string> Environment { get; }

    public string Output => _output.ToString();

    public string Error => _error.ToString();

    public int Run(params string[] args) => Host.Run(args);
}

/// <summary>What tasks and lifetimes did, in order.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries => _entries;

    public void Add(string entry) => _entries.Add(entry);
}
