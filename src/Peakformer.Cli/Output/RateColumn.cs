using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Peakformer.Cli.Output;

/// <summary>
/// Units per second of a task since it started, e.g. "10,512 events/s" (Spectre's own speed, sampled over the last
/// few updates, reads thousands of times too high for work that advances in large steps).
/// </summary>
public sealed class RateColumn : ProgressColumn
{
    private readonly ConcurrentDictionary<int, string> _units = new();

    public void SetUnit(ProgressTask task, string unit) => _units[task.Id] = unit;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        double seconds = task.ElapsedTime?.TotalSeconds ?? 0;
        string unit = _units.GetValueOrDefault(task.Id, "");
        return new Text(seconds < 0.5 || task.Value <= 0 ? "" : $"{ProgressLine.Rate(task.Value / seconds)} {unit}/s", new Style(Color.Grey));
    }
}
