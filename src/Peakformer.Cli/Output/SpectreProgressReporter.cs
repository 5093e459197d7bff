using System.Diagnostics;
using Peakformer.Progress;
using Spectre.Console;

namespace Peakformer.Cli.Output;

/// <summary>
/// Live Spectre.Console progress bars with rate and time remaining. Only running tasks keep a bar; a finished one
/// leaves a single summary line above them, so a long run reads as a log and the bars never fill the screen.
/// </summary>
public sealed class SpectreProgressReporter(ProgressContext context, IAnsiConsole console, RateColumn rates) : IProgressReporter
{
    public IProgressTask Start(string description, long total, string unit)
    {
        var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
        rates.SetUnit(task, unit);
        return new Task(this, task, description, total, unit);
    }

    public void Note(string message)
    {
        foreach (string line in ProgressLine.Wrap(message, console.Profile.Width - 1)) console.WriteLine(line);
    }

    private sealed class Task(SpectreProgressReporter owner, ProgressTask task, string description, long total, string unit) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _done;
        private string? _detail;

        public void Advance(long units, string? detail = null)
        {
            _done += units;
            task.Increment(units);
            if (detail is null) return;
            _detail = detail;
            task.Description = Markup.Escape($"{description}  {detail}");
        }

        public void Dispose()
        {
            task.Value = task.MaxValue;
            task.StopTask();
            owner.Note(ProgressLine.Format(description, _done, total, unit, _clock.Elapsed.TotalSeconds, _detail, finished: true));
        }
    }
}
