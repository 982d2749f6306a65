using System.Reflection;
using Cake.Cli;
using Cake.Common.Modules;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Modules;
using Microsoft.Extensions.DependencyInjection;
using Recipes.Ci.BuildServers;
using Recipes.Hosting.Internal;
using Spectre.Console;

namespace Recipes.Hosting;

/// <summary>
/// The build's entry point, with Cake.Frosting's names: configure it, then <see cref="Run"/> the command line.
/// Tasks run on Cake's own engine, with Cake's report, dry run, tree and description.
/// </summary>
/// <example><code>return new CakeHost().UseContext&lt;BuildContext&gt;().Run(args);</code></example>
public sealed class CakeHost
{
    /// <summary>The target that runs when the command line names none.</summary>
    public const string DefaultTarget = "Default";

    private readonly ServiceCollection _services = new();
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Type> _taskTypes = [];
    private readonly Dictionary<string, string> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCustomizations _customizations = new();
    private Type _contextType = typeof(FrostingContext);
    private string? _workingDirectory;
    private HostOptions _options = new();

    internal TextWriter? Output { get; private set; }

    internal TextWriter? Error { get; private set; }

    internal EnvironmentVariables EnvironmentVariables { get; private set; } = EnvironmentVariables.Process;

    /// <summary>Creates a host that finds its tasks in the entry assembly.</summary>
    public CakeHost()
    {
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            _assemblies.Add(entry);
        }

        RegisterDefaultServices();
    }

    /// <summary>Gives every task a context of type <typeparamref name="TContext"/>, resolved from the service container.</summary>
    public CakeHost UseContext<TContext>()
        where TContext : class, IFrostingContext
    {
        _contextType = typeof(TContext);
        return this;
    }

    /// <summary>Runs <typeparamref name="TLifetime"/>'s setup before the first task and its teardown after the last.</summary>
    public CakeHost UseLifetime<TLifetime>()
        where TLifetime : class, IFrostingLifetime
    {
        _services.AddSingleton<TLifetime>();
        _services.AddSingleton<IFrostingSetup>(sp => sp.GetRequiredService<TLifetime>());
        _services.AddSingleton<IFrostingTeardown>(sp => sp.GetRequiredService<TLifetime>());
        return this;
    }

    /// <summary>Runs <typeparamref name="TLifetime"/>'s setup before each task and its teardown after each.</summary>
    public CakeHost UseTaskLifetime<TLifetime>()
        where TLifetime : class, IFrostingTaskLifetime
    {
        _services.AddSingleton<TLifetime>();
        _services.AddSingleton<IFrostingTaskSetup>(sp => sp.GetRequiredService<TLifetime>());
        _services.AddSingleton<IFrostingTaskTeardown>(sp => sp.GetRequiredService<TLifetime>());
        return this;
    }

    /// <summary>Adds or replaces services; tasks, contexts and lifetimes get them through their constructors.</summary>
    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_services);
        return this;
    }

    /// <summary>Adds every public task in <paramref name="assembly"/> (for instance a shared recipe library).</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }

        return this;
    }

    /// <summary>Adds one task, with the tasks it names in its attributes, without the rest of its assembly.</summary>
    public CakeHost AddTask<TTask>()
        where TTask : class, IFrostingTask
    {
        _taskTypes.Add(typeof(TTask));
        return this;
    }

    /// <summary>Runs the build in <paramref name="path"/> (relative to the current directory) unless <c>--working</c> says otherwise.</summary>
    public CakeHost UseWorkingDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _workingDirectory = path;
        return this;
    }

    /// <summary>Sets a Cake configuration value, as a <c>cake.config</c> entry would (e.g. <c>Settings_ShowProcessCommandLine</c>).</summary>
    public CakeHost UseSetting(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _settings[key] = value;
        return this;
    }

    /// <summary>Turns off, replaces, or surrounds tasks, typically ones that come from a shared library.</summary>
    public CakeHost ConfigureTasks(Action<TaskCustomizations> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_customizations);
        return this;
    }

    /// <summary>Runs the command line and returns the process exit code: 0 success, 1 a task failed, 2 bad usage or configuration.</summary>
    public int Run(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        BootstrapWatch.Start(System.Environment.GetEnvironmentVariable(BootstrapWatch.Variable));
        var nodes = (IReadOnlyList<TaskNode>?)null;
        var taskTypes = DiscoverTaskTypes();
        _services.AddSingleton(_contextType);
        _services.AddSingleton<IFrostingContext>(sp => (IFrostingContext)sp.GetRequiredService(_contextType));
        using var provider = _services.BuildServiceProvider();
        return new HostRunner(provider, _contextType).Run(
            args,
            options => _options = options,
            () => nodes ??= TaskGraphBuilder.Build(taskTypes, _customizations),
            _workingDirectory,
            _settings);
    }

    /// <summary>Sends output to the given writers instead of the process console.</summary>
    internal CakeHost UseConsole(TextWriter output, TextWriter error)
    {
        (Output, Error) = (output, error);
        return this;
    }

    /// <summary>Reads environment variables (the recipe's RECIPES_* settings) from <paramref name="variables"/> instead of the process.</summary>
    internal CakeHost UseEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        EnvironmentVariables = EnvironmentVariables.From(variables);
        return this;
    }

    private List<Type> DiscoverTaskTypes() =>
        _assemblies
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => typeof(IFrostingTask).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Concat(_taskTypes)
            .Distinct()
            .ToList();

    private void RegisterDefaultServices()
    {
        _services.UseModule<CoreModule>();
        _services.UseModule<CommonModule>();
        _services.AddSingleton<ICakeEnvironment>(sp =>
        {
            var environment = new CakeEnvironment(sp.GetRequiredService<ICakePlatform>(), sp.GetRequiredService<ICakeRuntime>());
            return EnvironmentVariables == EnvironmentVariables.Process ? environment : new HostEnvironment(environment, EnvironmentVariables);
        });

        _services.AddSingleton<IConsole>(sp => Output is null
            ? new CakeConsole(sp.GetRequiredService<ICakeEnvironment>())
            : new WriterConsole(Output, Error ?? Output));
        _services.AddSingleton<IAnsiConsole>(_ => Output is null
            ? AnsiConsole.Console
            : CreateAnsiConsole(Output));
        _services.AddSingleton<ICakeLog>(sp => new HostLog(new CakeBuildLog(sp.GetRequiredService<IConsole>(), Verbosity.Normal)));
        _services.AddSingleton<BuildRunState>();
        _services.AddSingleton<RunSummary>();
        _services.AddSingleton<IBuildServerReporter>(sp => BuildServerReporters.Detect(sp.GetRequiredService<ICakeContext>(), sp.GetRequiredService<IConsole>()));
        _services.AddSingleton<ICakeReportPrinter>(sp => new SummaryReportPrinter(
            new CakeSpectreReportPrinter(sp.GetRequiredService<IAnsiConsole>()),
            sp.GetRequiredService<BuildRunState>(),
            sp.GetRequiredService<RunSummary>(),
            sp.GetRequiredService<IConsole>(),
            sp.GetRequiredService<IBuildServerReporter>()));
        _services.AddSingleton<ICakeArguments>(_ => new CommandLineArguments(_options.Arguments, EnvironmentVariables));
        _services.AddSingleton<ICakeConfiguration>(sp =>
        {
            var environment = sp.GetRequiredService<ICakeEnvironment>();
            var values = new Dictionary<string, string>(_settings, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, argument) in _options.Arguments)
            {
                values[name] = argument[^1];
            }

            return new CakeConfigurationProvider(sp.GetRequiredService<IFileSystem>(), environment)
                .CreateConfiguration(environment.WorkingDirectory, values);
        });
        _services.AddSingleton<IVersionResolver, VersionResolver>();
        _services.AddSingleton<InfoFeature>();
    }

    private static IAnsiConsole CreateAnsiConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        return console;
    }
}
