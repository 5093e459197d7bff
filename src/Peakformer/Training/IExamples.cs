namespace Peakformer.Training;

/// <summary>
/// Labelled examples for binary training: example i is an input of <see cref="InputSize"/> floats and
/// <see cref="TargetSize"/> targets in {0, 1} (one for a window, one per bin for a waveform).
/// </summary>
public interface IExamples
{
    int Count { get; }
    int InputSize { get; }
    int TargetSize { get; }
    /// <summary>Copies the examples at the given indices into inputs [n, InputSize] and targets [n, TargetSize].</summary>
    void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets);
}
