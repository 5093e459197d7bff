using System.Diagnostics;
using System.Globalization;
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

        private void Write(bool done = false)
        {
            double seconds = Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
            double rate = _done / seconds;
            string eta = done || rate <= 0 ? "" : $", ETA {TimeSpan.FromSeconds(Math.Max(0, (total - _done) / rate)):hh\\:mm\\:ss}";
            string percent = total > 0 ? (100.0 * _done / total).ToString("F0", CultureInfo.InvariantCulture) + "%" : "";
            console.WriteLine($"{description}: {_done}/{total} {unit} {percent}, {rate:N0} {unit}/s{eta}{(done ? $", done in {seconds:F1} s" : "")}{(_detail is null ? "" : "  " + _detail)}");
        }
    }
}
