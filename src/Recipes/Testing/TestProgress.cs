using System.Text.RegularExpressions;

namespace Recipes.Testing;

/// <summary>
/// Says what a running test project has done so far: on a terminal a status line kept current, otherwise (CI logs) a
/// line every interval. dotnet test's own lines pass through here, so the two never interleave; a passing test's
/// lines are counted, not repeated, as dotnet test's default (minimal) verbosity does.
/// </summary>
internal sealed partial class TestProgress : IDisposable
{
    /// <summary>How often a log that is not a terminal gets a progress line.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan TerminalInterval = TimeSpan.FromSeconds(1);

    // Erases the current terminal line: carriage return, then ANSI "erase to end of line".
    private const string EraseLine = "\r\u001b[K";

    private readonly Lock _gate = new();
    private readonly string _project;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _terminal;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _timer;
    private int _passed;
    private int _failed;
    private int _skipped;
    private bool _inPassedTest;
    private bool _statusShown;
    private bool _disposed;

    /// <summary>Starts saying the progress of <paramref name="project"/> every <paramref name="interval"/>.</summary>
    public TestProgress(string project, TextWriter output, TextWriter error, bool terminal, TimeProvider time, TimeSpan interval)
    {
        _project = project;
        _output = output;
        _error = error;
        _terminal = terminal;
        _time = time;
        _started = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Tick(), null, interval, interval);
    }

    /// <summary>Progress on this process's console: a status line on a terminal, a line every <see cref="LogInterval"/> in a log.</summary>
    public static TestProgress ForConsole(string project)
    {
        var terminal = !Console.IsOutputRedirected;
        return new TestProgress(project, Console.Out, Console.Error, terminal, TimeProvider.System, terminal ? TerminalInterval : LogInterval);
    }

    /// <summary>The progress as one line: the project, the time it has run, and the counts so far.</summary>
    public string Status
    {
        get
        {
            var elapsed = _time.GetElapsedTime(_started);
            return $"{_project}: running for {(int)elapsed.TotalMinutes}:{elapsed.Seconds:00}, {_passed} passed, {_failed} failed, {_skipped} skipped so far";
        }
    }

    /// <summary>Takes one line of dotnet test's standard output: counts a test result, shows the line unless it belongs to a passing test.</summary>
    /// <param name="line">The line; null at the end of the stream, which Cake passes on too.</param>
    /// <returns>The line, for Cake's redirected output.</returns>
    public string? OnOutput(string? line)
    {
        if (line is null)
        {
            return line;
        }

        lock (_gate)
        {
            var result = ResultLine().Match(line);
            if (result.Success)
            {
                var outcome = result.Groups["outcome"].Value;
                _inPassedTest = outcome == "Passed";
                _ = outcome switch
                {
                    "Passed" => ++_passed,
                    "Failed" => ++_failed,
                    _ => ++_skipped,
                };
            }
            else if (_inPassedTest && !line.StartsWith(' '))
            {
                _inPassedTest = false;
            }

            if (!_inPassedTest)
            {
                Write(_output, line);
            }
        }

        return line;
    }

    /// <summary>Takes one line of dotnet test's standard error and shows it.</summary>
    /// <param name="line">The line; null at the end of the stream.</param>
    /// <returns>The line, for Cake's redirected output.</returns>
    public string? OnError(string? line)
    {
        if (line is null)
        {
            return line;
        }

        lock (_gate)
        {
            Write(_error, line);
        }

        return line;
    }

    /// <summary>Says the progress now: redraws the status line on a terminal, writes a line otherwise.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_terminal)
            {
                _output.Write(EraseLine + Status);
                _statusShown = true;
            }
            else
            {
                _output.WriteLine(Status);
            }

            _output.Flush();
        }
    }

    /// <summary>Stops the progress and erases the status line, so that what follows starts on a clean line.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            _disposed = true;
            EraseStatus();
            _output.Flush();
        }
    }

    private void Write(TextWriter writer, string line)
    {
        EraseStatus();
        writer.WriteLine(line);
        writer.Flush();
    }

    private void EraseStatus()
    {
        if (_statusShown)
        {
            _output.Write(EraseLine);
            _statusShown = false;
        }
    }

    /// <summary>A result line of dotnet test's console logger at normal verbosity: "  Passed Namespace.Class.Test [12 ms]".</summary>
    [GeneratedRegex(@"^\s+(?<outcome>Passed|Failed|Skipped) \S", RegexOptions.CultureInvariant)]
    private static partial Regex ResultLine();
}
