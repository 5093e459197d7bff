using System.Diagnostics;
using Peakformer.Progress;
using Spectre.Console;

namespace Peakformer.Cli.Output;

/// <summary>Progress as plain lines (redirected output, CI): at most one line every few seconds per task, with rate and ETA.</summary>
public sealed class PlainProgressReporter(IAnsiConsole console) : IProgressReporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public IProgressTask Start(string description, long total, string unit) => new Task(console, description, total, unit);

    public void Note(string message) => console.WriteLine(message);

    private sealed class Task(IAnsiConsole console, string description, long total, string unit) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastLine = TimeSpan.Zero;
        private long _done;
        private string? _detail;

        public void Advance(long units, string? detail = null)
        {
            _done += units;
            _detail = detail ?? _detail;
            if (_clock.Elapsed - _lastLine >= Interval)
            {
                _lastLine = _clock.Elapsed;
                Write();
            }
        }

        public void Dispose() => Write(done: true);

        private void Write(bool done = false) =>
            console.WriteLine(ProgressLine.Format(description, _done, total, unit, _clock.Elapsed.TotalSeconds, _detail, done));
    }
}
