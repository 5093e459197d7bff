using Peakformer.Progress;
using Spectre.Console;

namespace Peakformer.Cli.Output;

/// <summary>Live Spectre.Console progress bars with rate and time remaining.</summary>
public sealed class SpectreProgressReporter(ProgressContext context, IAnsiConsole console, RateColumn rates) : IProgressReporter
{
    public IProgressTask Start(string description, long total, string unit)
    {
        var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
        rates.SetUnit(task, unit);
        return new Task(task, description);
    }

    public void Note(string message) => console.MarkupLine(Markup.Escape(message));

    private sealed class Task(ProgressTask task, string description) : IProgressTask
    {
        public void Advance(long units, string? detail = null)
        {
            task.Increment(units);
            if (detail is not null) task.Description = Markup.Escape($"{description}  {detail}");
        }

        public void Dispose()
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
