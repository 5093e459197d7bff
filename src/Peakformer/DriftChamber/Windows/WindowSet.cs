namespace Peakformer.DriftChamber.Windows;

/// <summary>
/// Candidate windows in memory: for each row the event index, the candidate bin, the label (1 signal, 0 background,
/// -1 unknown), the window mean (Shift), the scale (Sigma) and the mean-subtracted samples (row-major, Count x Length).
/// </summary>
public sealed class WindowSet
{
    public WindowSet(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length));
        Length = length;
    }

    public int Length { get; }
    public List<int> Event { get; } = [];
    public List<int> Time { get; } = [];
    public List<sbyte> Label { get; } = [];
    public List<float> Shift { get; } = [];
    public List<float> Sigma { get; } = [];
    public List<float> Samples { get; } = [];

    public int Count => Event.Count;

    public int Signal => Label.Count(l => l == 1);

    public void Add(int evt, int time, sbyte label, float shift, float sigma, ReadOnlySpan<float> samples)
    {
        if (samples.Length != Length) throw new ArgumentException($"WindowSet: window of {samples.Length} samples, expected {Length}.");
        Event.Add(evt);
        Time.Add(time);
        Label.Add(label);
        Shift.Add(shift);
        Sigma.Add(sigma);
        foreach (var v in samples) Samples.Add(v);
    }

    public ReadOnlySpan<float> Row(int i) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Samples).Slice(i * Length, Length);
}
