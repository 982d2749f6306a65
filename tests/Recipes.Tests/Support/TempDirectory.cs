namespace Recipes.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string purpose = "recipes-test") => Path = Directory.CreateTempSubdirectory(purpose + "-").FullName;

    public string Path { get; }

    /// <summary>A path inside this folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Deletes the folder; a file still held open (a build server, a process ending) leaves it to the OS, never failing the test.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left in the temp folder for the OS to clean.
        }
    }
}
