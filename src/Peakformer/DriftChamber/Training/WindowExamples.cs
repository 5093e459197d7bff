using Peakformer.DriftChamber.Windows;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>Labelled candidate windows (rows of a <see cref="WindowSet"/>) as training examples.</summary>
public sealed class WindowExamples : IExamples
{
    private readonly WindowSet _set;
    private readonly int[] _rows;

    public WindowExamples(WindowSet set, int[] rows, string source)
    {
        foreach (int r in rows)
            if (set.Label[r] is not (0 or 1))
                throw new InputException($"{source}: window of event {set.Event[r]} at time {set.Time[r]} has ID {set.Label[r]}; training needs labels 1 or 0");
        (_set, _rows) = (set, rows);
    }

    public int Count => _rows.Length;
    public int InputSize => _set.Length;
    public int TargetSize => 1;
    public int Signal => _rows.Count(r => _set.Label[r] == 1);

    public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        int w = _set.Length;
        for (int i = 0; i < indices.Length; i++)
        {
            int r = _rows[indices[i]];
            _set.Row(r).CopyTo(inputs.Slice(i * w, w));
            targets[i] = _set.Label[r];
        }
    }
}
