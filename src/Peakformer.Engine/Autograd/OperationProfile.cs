using System.Diagnostics;

namespace Peakformer.Engine.Autograd;

/// <summary>
/// Time spent per operation, forward and backward, collected by a tape when <see cref="Tape.Profile"/> is set.
/// A forward op's time is measured from the previous op's completion, so it includes any glue code between ops.
/// </summary>
public sealed class OperationProfile
{
    private readonly Dictionary<string, (long Ticks, int Calls)> _forward = [];
    private readonly Dictionary<string, (long Ticks, int Calls)> _backward = [];
    private long _last = Stopwatch.GetTimestamp();

    internal void MarkStart() => _last = Stopwatch.GetTimestamp();

    internal void Forward(string op)
    {
        long now = Stopwatch.GetTimestamp();
        Add(_forward, op, now - _last);
        _last = now;
    }

    internal void Backward(string op, long ticks) => Add(_backward, op, ticks);

    private static void Add(Dictionary<string, (long Ticks, int Calls)> table, string op, long ticks)
    {
        table.TryGetValue(op, out var entry);
        table[op] = (entry.Ticks + ticks, entry.Calls + 1);
    }

    /// <summary>Rows of (operation, direction, milliseconds, calls), slowest first.</summary>
    public IEnumerable<(string Operation, string Direction, double Milliseconds, int Calls)> Rows() =>
        _forward.Select(e => (e.Key, "forward", e.Value.Ticks * 1000.0 / Stopwatch.Frequency, e.Value.Calls))
            .Concat(_backward.Select(e => (e.Key, "backward", e.Value.Ticks * 1000.0 / Stopwatch.Frequency, e.Value.Calls)))
            .OrderByDescending(r => r.Item3);

    public void Clear()
    {
        _forward.Clear();
        _backward.Clear();
    }
}
