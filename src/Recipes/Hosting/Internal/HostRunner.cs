using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Recipes.Ci.BuildServers;
using Spectre.Console;

namespace Recipes.Hosting.Internal;

/// <summary>One run of the command line: parse, set up, pick Cake's script host for the mode, run, map the outcome to an exit code.</summary>
internal sealed class HostRunner(IServiceProvider provider, Type contextType)
{
    public const int Success = 0;
    public const int BuildFailed = 1;
    public const int UsageError = 2;

    private readonly IConsole _console = provider.GetRequiredService<IConsole>();
    private readonly ICakeLog _log = provider.GetRequiredService<ICakeLog>();

    public int Run(
        IEnumerable<string> args,
        Action<HostOptions> useOptions,
        Func<IReadOnlyList<TaskNode>> buildGraph,
        string? workingDirectory,
        IReadOnlyDictionary<string, string> settings)
    {
        HostOptions options;
        try
        {
            options = CommandLineParser.Parse(args);
        }
        catch (CommandLineException ex)
        {
            return Fail(UsageError, ex.Message);
        }

        useOptions(options);
        _log.Verbosity = options.LogVerbosity ?? Verbosity.Normal;
        if (options.Has(HostOptions.Version))
        {
            _console.WriteLine($"Recipes {VersionOf(typeof(CakeHost).Assembly)}");
            _console.WriteLine($"Cake {VersionOf(typeof(ICakeEngine).Assembly)}");
            return Success;
        }

        if (options.Has(HostOptions.Info))
        {
            provider.GetRequiredService<InfoFeature>().Run(_console);
            return Success;
        }

        try
        {
            SetWorkingDirectory(options.WorkingDirectory ?? workingDirectory);
            var nodes = buildGraph();
            if (options.Has(HostOptions.Help))
            {
                CheckTargets(options.Targets, nodes);
                HelpWriter.Write(_console, nodes, settings, provider.GetServices<IHelpSection>(), options.Targets);
                return Success;
            }

            var targets = options.Targets.Count > 0 ? options.Targets : [CakeHost.DefaultTarget];
            var listsAllTasks = options.Has(HostOptions.Tree) || options.Has(HostOptions.Description);
            if (!listsAllTasks || options.Targets.Count > 0)
            {
                CheckTargets(targets, nodes);
            }

            var context = ResolveContext();

            RegisterTasks(nodes, context);
            var host = CreateScriptHost(options, context);
            if (options.Has(HostOptions.Exclusive))
            {
                host.Settings.UseExclusiveTarget();
            }

            host.RunTargetsAsync(targets).GetAwaiter().GetResult();
            WarnOfUnusedArguments(options);
            return Success;
        }
        catch (FrostingException ex)
        {
            return Fail(UsageError, ex.Message);
        }
        catch (Exception ex) when (Innermost(ex) is FrostingException configuration && provider.GetRequiredService<BuildRunState>().FailedTask is null)
        {
            // Raised outside any task's work (a ShouldRun that checks the task's arguments): the configuration is wrong.
            return Fail(UsageError, configuration.Message);
        }
        catch (Exception ex)
        {
            return ReportFailure(ex);
        }
    }

    /// <summary>
    /// Creates the context, which may check the build's configuration (the recipe validates its settings there). A
    /// configuration error is a usage error even when the service container wraps it.
    /// </summary>
    private IFrostingContext ResolveContext()
    {
        try
        {
            return provider.GetRequiredService<IFrostingContext>();
        }
        catch (Exception exception) when (Innermost(exception) is FrostingException configuration && configuration != exception)
        {
            throw configuration;
        }
    }

    private void SetWorkingDirectory(string? path)
    {
        if (path is null)
        {
            return;
        }

        var environment = provider.GetRequiredService<ICakeEnvironment>();
        var directory = new DirectoryPath(path).MakeAbsolute(environment);
        if (!provider.GetRequiredService<IFileSystem>().Exist(directory))
        {
            throw new FrostingException(
                $"The working directory '{directory.FullPath}' does not exist. Pass an existing folder to --working or UseWorkingDirectory.");
        }

        environment.WorkingDirectory = directory;
    }

    private static void CheckTargets(IEnumerable<string> targets, IReadOnlyList<TaskNode> nodes)
    {
        var names = nodes.Select(n => n.Name).ToList();
        foreach (var target in targets)
        {
            if (names.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var suggestions = NameSuggestions.For(target, names);
            var hint = suggestions.Count > 0
                ? $" Did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}?"
                : string.Empty;
            throw new FrostingException($"Unknown target '{target}'.{hint} Run with --help to list the targets.");
        }
    }

    private void RegisterTasks(IReadOnlyList<TaskNode> nodes, IFrostingContext context)
    {
        var engine = provider.GetRequiredService<ICakeEngine>();
        var state = provider.GetRequiredService<BuildRunState>();
        new TaskRegistrar(engine, _log, state).Register(
            nodes, type => (IFrostingTask)ActivatorUtilities.GetServiceOrCreateInstance(provider, type), contextType);

        // Cake's engine takes one setup: the run's checks go first, so that a wrong argument stops the run before any task.
        var checks = provider.GetServices<IRunCheck>().ToList();
        var setup = provider.GetService<IFrostingSetup>();
        if (setup is not null || checks.Count > 0)
        {
            engine.RegisterSetupAction(info =>
            {
                var tasks = info.TasksToExecute.Select(task => task.Name).ToList();
                foreach (var check in checks)
                {
                    check.Check(context, tasks);
                }

                setup?.Setup(context, info);
            });
        }

        if (provider.GetService<IFrostingTeardown>() is { } teardown)
        {
            engine.RegisterTeardownAction(info => teardown.Teardown(context, info));
        }

        // Cake's engine takes one task setup and one teardown: the CI server's log group wraps the build's own lifetime.
        var buildServer = provider.GetRequiredService<IBuildServerReporter>();
        if (context is FrostingContext frosting)
        {
            frosting.BuildServer = buildServer;
        }

        var taskSetup = provider.GetService<IFrostingTaskSetup>();
        engine.RegisterTaskSetupAction(info =>
        {
            buildServer.StartTask(info.Task.Name);
            taskSetup?.Setup(context, info);
        });

        var taskTeardown = provider.GetService<IFrostingTaskTeardown>();
        engine.RegisterTaskTeardownAction(info =>
        {
            try
            {
                taskTeardown?.Teardown(context, info);
            }
            finally
            {
                buildServer.EndTask(info.Task.Name, info.Successful ? null : Innermost(info.ThrownException ?? new RecipeException("the task failed")));
            }
        });
    }

    private IScriptHost CreateScriptHost(HostOptions options, IFrostingContext context)
    {
        var engine = provider.GetRequiredService<ICakeEngine>();
        if (options.Has(HostOptions.DryRun))
        {
            return new DryRunScriptHost<IFrostingContext>(engine, context, _log);
        }

        if (options.Has(HostOptions.Tree))
        {
            return new TreeScriptHost(engine, context, _console);
        }

        if (options.Has(HostOptions.Description))
        {
            return new DescriptionScriptHost(engine, context, provider.GetRequiredService<IAnsiConsole>());
        }

        return new BuildScriptHost<IFrostingContext>(
            engine,
            provider.GetRequiredService<IExecutionStrategy>(),
            context,
            provider.GetRequiredService<ICakeReportPrinter>(),
            provider.GetRequiredService<ICakeConfiguration>(),
            _log);
    }

    private int ReportFailure(Exception exception)
    {
        exception = Innermost(exception);
        var failedTask = provider.GetRequiredService<BuildRunState>().FailedTask;
        var where = failedTask is null ? "The build failed" : $"Task '{failedTask}' failed";
        var detail = _log.Verbosity >= Verbosity.Diagnostic ? exception.ToString() : exception.Message;
        return Fail(exception is ExitCodeException coded ? coded.ExitCode : BuildFailed, $"{where}: {detail}");
    }

    /// <summary>The exception inside the wrappers that reflection and tasks add around it.</summary>
    private static Exception Innermost(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException or CakeReportException && exception.InnerException is not null)
        {
            exception = exception.InnerException!;
        }

        return exception;
    }

    /// <summary>An argument no task or setting asked for would otherwise do nothing without a word (a typo, or --p:X=1).</summary>
    private void WarnOfUnusedArguments(HostOptions options)
    {
        if (options.Has(HostOptions.DryRun) || options.Has(HostOptions.Tree) || options.Has(HostOptions.Description)
            || provider.GetRequiredService<ICakeArguments>() is not CommandLineArguments arguments)
        {
            return;
        }

        var hostOptions = HostOptions.Table.Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in arguments.NeverAsked().Where(n => !hostOptions.Contains(n)))
        {
            _log.Warning("Argument --{0} was not used by any task that ran or any setting; check its spelling (--help lists the settings, -p:Name=Value passes an MSBuild property).", name);
        }
    }

    private int Fail(int exitCode, string message)
    {
        _log.Error("Error: {0}", message);
        return exitCode;
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
