using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Peakformer.Cli.Output;

/// <summary>Units per second of a task, e.g. "10,512 events/s".</summary>
public sealed class RateColumn : ProgressColumn
{
    private readonly ConcurrentDictionary<int, string> _units = new();

    public void SetUnit(ProgressTask task, string unit) => _units[task.Id] = unit;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        double? speed = task.Speed;
        string unit = _units.GetValueOrDefault(task.Id, "");
        return new Text(speed is null ? "" : $"{speed.Value:N0} {unit}/s", new Style(Color.Grey));
    }
}
