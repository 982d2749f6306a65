using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Recipes.Deployment;

public sealed partial class DeploymentLedger
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Takes the lock of <paramref name="environment"/>, so that one deployment at a time changes it; waits up to
    /// <paramref name="wait"/> for another holder to release it. A lock whose holder process has died on this machine
    /// is taken over. Locks of different environments are independent. Dispose the result to release the lock.
    /// </summary>
    /// <exception cref="DeploymentLockedException">Another live deployment still held the lock after <paramref name="wait"/>.</exception>
    public DeploymentLock AcquireLock(string environment, string holder, TimeSpan wait) =>
        AcquireLockAsync(environment, holder, wait, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="AcquireLock"/>
    public Task<DeploymentLock> AcquireLockAsync(string environment, string holder, TimeSpan wait, CancellationToken cancellationToken = default) =>
        AcquireLockAsync(environment, holder, wait, _ => { }, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// <inheritdoc cref="AcquireLock"/> While it waits, tells <paramref name="waiting"/> who holds the lock and how
    /// long it has waited, every <paramref name="reportEvery"/> (<see cref="Timeout.InfiniteTimeSpan"/>: never).
    /// </summary>
    internal async Task<DeploymentLock> AcquireLockAsync(
        string environment, string holder, TimeSpan wait, Action<string> waiting, TimeSpan reportEvery, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var waited = Stopwatch.StartNew();
        var nextReport = reportEvery;
        while (true)
        {
            var current = TryTakeLock(environment, holder, token);
            if (current is null)
            {
                return new DeploymentLock(this, environment, token);
            }

            var remaining = wait - waited.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new DeploymentLockedException(environment, current.Holder, current.ProcessId, current.Machine, current.Since, wait);
            }

            if (reportEvery != Timeout.InfiniteTimeSpan && waited.Elapsed >= nextReport)
            {
                waiting($"Waiting for the lock of '{environment}', held by {current.Holder} (pid {current.ProcessId} on {current.Machine}) " +
                        $"since {current.Since.UtcDateTime:HH:mm:ss}Z; waited {DurationText.Format(TimeSpan.FromSeconds(Math.Floor(waited.Elapsed.TotalSeconds)))} of {DurationText.Format(wait)}");
                nextReport = waited.Elapsed + reportEvery;
            }

            await Task.Delay(remaining < PollInterval ? remaining : PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the lock if <paramref name="token"/> still owns it (a takeover may have replaced it).</summary>
    internal void ReleaseLock(string environment, string token)
    {
        Use(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM locks WHERE environment = $environment AND token = $token;";
            command.Parameters.AddWithValue("$environment", environment);
            command.Parameters.AddWithValue("$token", token);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Takes the lock and returns null, or returns the live holder that keeps it.</summary>
    private LockHolder? TryTakeLock(string environment, string holder, string token) =>
        Use(connection => TryTakeLock(connection, environment, holder, token));

    private LockHolder? TryTakeLock(SqliteConnection connection, string environment, string holder, string token)
    {
        // An immediate transaction takes SQLite's write lock before reading, so two processes cannot both see the
        // environment free and both take it.
        using var transaction = connection.BeginTransaction(deferred: false);
        var current = ReadHolder(connection, transaction, environment);
        if (current is not null && !(current.Machine == Environment.MachineName && !_isProcessAlive(current.ProcessId)))
        {
            return current;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO locks (environment, holder, pid, machine, since, token)
            VALUES ($environment, $holder, $pid, $machine, $since, $token);
            """;
        command.Parameters.AddWithValue("$environment", environment);
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$pid", _processId);
        command.Parameters.AddWithValue("$machine", Environment.MachineName);
        command.Parameters.AddWithValue("$since", Text(_clock.GetUtcNow()));
        command.Parameters.AddWithValue("$token", token);
        command.ExecuteNonQuery();
        transaction.Commit();
        return null;
    }

    private static LockHolder? ReadHolder(SqliteConnection connection, SqliteTransaction transaction, string environment)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT holder, pid, machine, since FROM locks WHERE environment = $environment;";
        command.Parameters.AddWithValue("$environment", environment);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new LockHolder(reader.GetString(0), reader.GetInt32(1), reader.GetString(2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
            : null;
    }

    private sealed record LockHolder(string Holder, int ProcessId, string Machine, DateTimeOffset Since);
}

/// <summary>An environment's deployment lock, held until disposed.</summary>
public sealed class DeploymentLock : IDisposable, IAsyncDisposable
{
    private readonly DeploymentLedger _ledger;
    private readonly string _token;
    private bool _released;

    internal DeploymentLock(DeploymentLedger ledger, string environment, string token)
    {
        _ledger = ledger;
        _token = token;
        Environment = environment;
    }

    /// <summary>The locked environment.</summary>
    public string Environment { get; }

    /// <summary>Releases the lock; later calls do nothing.</summary>
    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _ledger.ReleaseLock(Environment, _token);
        }
    }

    /// <summary>Releases the lock; later calls do nothing.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Whether a process of this machine is still running.</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
