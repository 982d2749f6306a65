using Recipes.Testing;

namespace Recipes.Tests.Testing;

/// <summary>A running test project says what it has done so far, on a clock the test moves.</summary>
public sealed class TestProgressTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ManualTime _time = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private TestProgress Start(bool terminal) => new("Acme.Greeter.Tests", _output, _error, terminal, _time, Interval);

    private string[] Lines => _output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void A_log_gets_a_line_with_the_project_the_elapsed_time_and_the_counts_so_far_every_interval()
    {
        using var progress = Start(terminal: false);

        _time.Advance(Interval);
        progress.OnOutput("  Passed Acme.Greeter.Tests.GreeterTests.Greets_by_name [3 ms]");
        progress.OnOutput("  Passed Acme.Greeter.Tests.GreeterTests.Greets_twice [1 ms]");
        progress.OnOutput("  Skipped Acme.Greeter.Tests.GreeterTests.Later [1 ms]");
        _time.Advance(Interval);
        progress.OnOutput("  Failed Acme.Greeter.Tests.GreeterTests.Shouts [7 ms]");
        _time.Advance(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));

        Lines.ShouldBe([
            "Acme.Greeter.Tests: running for 0:10, 0 passed, 0 failed, 0 skipped so far",
            "  Skipped Acme.Greeter.Tests.GreeterTests.Later [1 ms]",
            "Acme.Greeter.Tests: running for 0:20, 2 passed, 0 failed, 1 skipped so far",
            "  Failed Acme.Greeter.Tests.GreeterTests.Shouts [7 ms]",
            "Acme.Greeter.Tests: running for 0:30, 2 passed, 1 failed, 1 skipped so far",
        ]);
    }

    [Fact]
    public void A_passing_tests_lines_are_counted_not_repeated_and_everything_else_is_shown()
    {
        using var progress = Start(terminal: false);

        progress.OnOutput("Starting test execution, please wait...");
        progress.OnOutput("  Passed Acme.Greeter.Tests.GreeterTests.Greets_by_name [3 ms]");
        progress.OnOutput("  Standard Output Messages:");
        progress.OnOutput(" greeting Ada");
        progress.OnOutput("  Failed Acme.Greeter.Tests.GreeterTests.Shouts [7 ms]");
        progress.OnOutput("  Error Message:");
        progress.OnOutput("   Assert.Equal() Failure");
        progress.OnOutput("Test Run Failed.");
        progress.OnError("an error of dotnet test");

        Lines.ShouldBe([
            "Starting test execution, please wait...",
            "  Failed Acme.Greeter.Tests.GreeterTests.Shouts [7 ms]",
            "  Error Message:",
            "   Assert.Equal() Failure",
            "Test Run Failed.",
        ]);
        _error.ToString().ShouldBe("an error of dotnet test" + Environment.NewLine);
        progress.Status.ShouldBe("Acme.Greeter.Tests: running for 0:00, 1 passed, 1 failed, 0 skipped so far");
    }

    [Fact]
    public void The_end_of_dotnet_tests_output_passes_through_as_Cake_gives_it()
    {
        using var progress = Start(terminal: false);

        progress.OnOutput(null).ShouldBeNull();
        progress.OnError(null).ShouldBeNull();

        _output.ToString().ShouldBeEmpty();
        _error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void A_terminal_gets_one_status_line_erased_before_each_line_of_output_and_at_the_end()
    {
        var progress = Start(terminal: true);

        _time.Advance(Interval);
        progress.OnOutput("  Failed Acme.Greeter.Tests.GreeterTests.Shouts [7 ms]");
        _time.Advance(Interval);
        progress.Dispose();
        _time.Advance(Interval);

        const string Erase = "\r\u001b[K";
        _output.ToString().ShouldBe(
            Erase + "Acme.Greeter.Tests: running for 0:10, 0 passed, 0 failed, 0 skipped so far"
            + Erase + "  Failed Acme.Greeter.Tests.GreeterTests.Shouts [7 ms]" + Environment.NewLine
            + Erase + "Acme.Greeter.Tests: running for 0:20, 0 passed, 1 failed, 0 skipped so far"
            + Erase,
            "nothing is written after the end");
    }

    /// <summary>A clock that moves only when told, firing the timers that fall due.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private readonly List<ManualTimer> _timers = [];
        private TimeSpan _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now.Ticks;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(callback, state, _now + dueTime, period);
            _timers.Add(timer);
            return timer;
        }

        public void Advance(TimeSpan by)
        {
            _now += by;
            foreach (var timer in _timers.ToList())
            {
                timer.FireUntil(_now);
            }
        }

        private sealed class ManualTimer(TimerCallback callback, object? state, TimeSpan due, TimeSpan period) : ITimer
        {
            private bool _stopped;

            public void FireUntil(TimeSpan now)
            {
                while (!_stopped && due <= now)
                {
                    due += period;
                    callback(state);
                }
            }

            public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();

            public void Dispose() => _stopped = true;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
