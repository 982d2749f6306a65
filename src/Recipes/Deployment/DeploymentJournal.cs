namespace Recipes.Deployment;

/// <summary>
/// What a deployment did, in a few words each, for its ledger row and the run summary, kept by the deployer so that a
/// failed deployment's row still says what the target did before it failed (such as restarting the old release).
/// </summary>
internal sealed class DeploymentJournal
{
    private readonly List<string> _notes = [];
    private readonly Action<string> _recordStrategy;

    /// <summary>A journal that logs through <paramref name="log"/> and records a changed strategy through <paramref name="recordStrategy"/>.</summary>
    public DeploymentJournal(Action<string> log, Action<string> recordStrategy)
    {
        Log = log;
        _recordStrategy = recordStrategy;
    }

    /// <summary>Writes a line to the build's output only.</summary>
    public Action<string> Log { get; }

    /// <summary>The notes so far, joined for the ledger.</summary>
    public string Details
    {
        get
        {
            lock (_notes)
            {
                return string.Join("; ", _notes);
            }
        }
    }

    /// <summary>Notes what happened (ledger and summary) and logs it.</summary>
    public void Note(string note)
    {
        lock (_notes)
        {
            _notes.Add(note);
        }

        Log(note);
    }

    /// <summary>The ledger row's strategy is another than the environment's (a first deployment runs none).</summary>
    public void RecordStrategy(string strategy) => _recordStrategy(strategy);
}
