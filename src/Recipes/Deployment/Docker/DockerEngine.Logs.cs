using Docker.DotNet.Models;

namespace Recipes.Deployment.Docker;

internal sealed partial class DockerEngine
{
    /// <summary>The last line the container wrote (stdout or stderr), for a one-line failure; null when it wrote none.</summary>
    public async Task<string?> LastLogLineAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await CallAsync(
                () => _client.Containers.GetContainerLogsAsync(idOrName, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "5" }, cancellationToken),
                idOrName);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
            // The two streams arrive apart; the last non-empty line of either says most about why the app stopped.
            return (stdout + "\n" + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        }
        catch (global::Docker.DotNet.DockerContainerNotFoundException)
        {
            return null;
        }
    }
}
