using System.Xml.Linq;

namespace Recipes.Testing;

/// <summary>
/// Leaves a project's results folder flat: the coverage collector writes each run's file into a folder named by a
/// GUID, and the TRX logger copies it into a deployment folder (<c>user_machine_date/In/machine/</c>). Each coverage
/// file becomes <c>coverage.&lt;framework&gt;.cobertura.xml</c> beside the TRX and JUnit files, and the folders go.
/// </summary>
internal static class TestResultsFolder
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Moves the coverage files of <paramref name="resultsDirectory"/>'s runs up beside their TRX file and deletes the run folders.</summary>
    /// <param name="resultsDirectory">The project's results folder.</param>
    /// <param name="trxPrefix">The TRX logger's <c>LogFilePrefix</c>: its files are named <c>prefix_framework_timestamp.trx</c>.</param>
    public static void Flatten(string resultsDirectory, string trxPrefix)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trx in Directory.EnumerateFiles(resultsDirectory, trxPrefix + "_*.trx"))
        {
            var framework = FrameworkOf(Path.GetFileNameWithoutExtension(trx), trxPrefix);
            if (DeploymentFolder(trx, resultsDirectory) is not { } deployment)
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(deployment, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(resultsDirectory, CoverageName(Path.GetFileName(file), framework));
                File.Move(file, target, overwrite: true);
                kept.Add(File.ReadAllText(target));
            }

            Directory.Delete(deployment, recursive: true);
        }

        // The collector's own copies; one the TRX logger did not copy (no TRX written) is kept under a name of its folder.
        foreach (var folder in Directory.EnumerateDirectories(resultsDirectory).Where(d => Guid.TryParse(Path.GetFileName(d), out _)))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                if (!kept.Contains(File.ReadAllText(file)))
                {
                    File.Move(file, Path.Combine(resultsDirectory, CoverageName(Path.GetFileName(file), Path.GetFileName(folder))), overwrite: true);
                }
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><c>coverage.cobertura.xml</c> of <c>net8.0</c> as <c>coverage.net8.0.cobertura.xml</c>; other names get the framework after their first part too.</summary>
    private static string CoverageName(string fileName, string framework)
    {
        var dot = fileName.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? $"{fileName}.{framework}" : $"{fileName[..dot]}.{framework}{fileName[dot..]}";
    }

    private static string FrameworkOf(string trxName, string trxPrefix)
    {
        var rest = trxName[(trxPrefix.Length + 1)..];
        var underscore = rest.LastIndexOf('_');
        return underscore > 0 ? rest[..underscore] : rest;
    }

    /// <summary>The TRX file's deployment folder (its <c>runDeploymentRoot</c>), when it exists inside the results folder.</summary>
    private static string? DeploymentFolder(string trx, string resultsDirectory)
    {
        try
        {
            var root = XDocument.Load(trx).Root?.Element(Trx + "TestSettings")?.Element(Trx + "Deployment")?.Attribute("runDeploymentRoot")?.Value;
            var folder = root is { Length: > 0 } ? Path.GetFullPath(root, resultsDirectory) : null;
            return folder is not null && Path.GetDirectoryName(folder) == Path.GetFullPath(resultsDirectory).TrimEnd(Path.DirectorySeparatorChar) && Directory.Exists(folder)
                ? folder
                : null;
        }
        catch (System.Xml.XmlException)
        {
            // A TRX file cut short (a crashed run) is reported by the counts; its folder is left as it is.
            return null;
        }
    }
}
