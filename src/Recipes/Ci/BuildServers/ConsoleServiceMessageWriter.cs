using System.Globalization;
using Cake.Common.Build;
using Cake.Core;

namespace Recipes.Ci.BuildServers;

/// <summary>
/// Sends Cake.Common's service messages (<c>::group::</c>, <c>##vso[...]</c>, <c>##teamcity[...]</c>) through the
/// host's console. Cake's own writer goes to <see cref="Console.Out"/>, which a host given other writers (tests,
/// an embedding program) would not see, and which would interleave differently with the build's log.
/// </summary>
internal sealed class ConsoleServiceMessageWriter(IConsole console) : IBuildSystemServiceMessageWriter
{
    public void Write(string format, params object[] args) =>
        console.WriteLine(args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args));
}
