using System.Diagnostics;
using System.Globalization;

namespace Acme.Shop.Api;

/// <summary>
/// A count of visits kept in the environment's data folder, which outlives every release. During a blue-green switch
/// two releases count at once, so each increment holds an exclusive lock on <c>visits.lock</c> (an advisory
/// <c>flock</c> on Unix, a sharing lock on Windows) and replaces <c>visits.count</c> whole (write, then rename):
/// no increment is lost, and a crash leaves the last complete count.
/// </summary>
public sealed class VisitCounter
{
    /// <summary>The variable in which a deployment names the environment's data folder (also the app's working directory).</summary>
    public const string DataFolderVariable = "RECIPES_DATA_DIR";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    // The requests of one counter (one release) wait their turn here, in order, and only the head of the queue polls
    // the file lock against the other release. Polled by every request at once, an unlucky one could lose every race
    // for 10 s on a busy machine and fail.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly string _lockFile;

    /// <summary>Creates the counter whose files are in <paramref name="folder"/>.</summary>
    public VisitCounter(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        CountFile = Path.Combine(folder, "visits.count");
        _lockFile = Path.Combine(folder, "visits.lock");
    }

    /// <summary>The file that holds the count.</summary>
    public string CountFile { get; }

    /// <summary>The counter in the data folder a deployment names, else in the working directory (a run outside a deployment).</summary>
    public static VisitCounter ForDataFolder(string? folder) =>
        new(string.IsNullOrWhiteSpace(folder) ? Directory.GetCurrentDirectory() : folder);

    /// <summary>Counts one visit.</summary>
    /// <returns>The count with it.</returns>
    /// <exception cref="TimeoutException">Another process (the other release) held the lock for longer than 10 s.</exception>
    public async Task<long> IncrementAsync()
    {
        await _turn.WaitAsync();
        try
        {
            using var held = await LockAsync();
            var next = Read() + 1;
            // Not cancelled half-way: a visit whose count is written is answered.
            var temporary = CountFile + ".tmp";
            await File.WriteAllTextAsync(temporary, next.ToString(CultureInfo.InvariantCulture));
            File.Move(temporary, CountFile, overwrite: true);
            return next;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>The count now; the file is only ever replaced whole, so it needs no lock.</summary>
    public long Read() =>
        File.Exists(CountFile) ? long.Parse(File.ReadAllText(CountFile), NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    private async Task<FileStream> LockAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes the lock (.NET uses flock(LOCK_EX | LOCK_NB) on Unix) or fails at once.
                return new FileStream(_lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(_lockFile))
            {
                if (waited.Elapsed > LockWait)
                {
                    throw new TimeoutException($"{_lockFile} stayed locked for {LockWait.TotalSeconds:0} s");
                }

                await Task.Delay(1);
            }
        }
    }
}
