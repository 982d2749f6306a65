using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;

namespace Recipes.Tests.Support;

/// <summary>A real Cake context outside a Frosting run, for code that runs tools through one (git, dotnet test).</summary>
internal static class CakeContexts
{
    /// <summary>A context on this process's working folder that finds tools on PATH and logs to the console.</summary>
    public static ICakeContext Create()
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var fileSystem = new FileSystem();
        var log = new CakeBuildLog(new CakeConsole(environment), Verbosity.Normal);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var tools = new ToolLocator(environment, new ToolRepository(environment), new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var processes = new Cake.Core.IO.ProcessRunner(fileSystem, environment, log, tools, configuration);
        return new CakeContext(
            fileSystem, environment, globber, log, new CakeArguments(Array.Empty<string>().ToLookup(name => name)), processes, new WindowsRegistry(), tools,
            new CakeDataService(), configuration, new ToolInstaller(environment, tools, configuration, log, []), new ServiceCollection().BuildServiceProvider());
    }
}
