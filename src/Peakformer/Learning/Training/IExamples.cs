namespace Peakformer.Learning.Training;

/// <summary>
/// Labelled examples: example i is an input of <see cref="InputSize"/> floats and <see cref="TargetSize"/> targets
/// (one per example for a classifier or regressor, one per position for a sequence labeller).
/// </summary>
public interface IExamples
{
    int Count { get; }
    int InputSize { get; }
    int TargetSize { get; }
    /// <summary>What one example is called in progress lines ("examples", or the domain's word for it).</summary>
    string Unit => "examples";
    /// <summary>
    /// Called by the trainer before each training epoch (1, 2, ...), so that examples drawn at random (augmented
    /// images) can depend on (seed, epoch, example) only, not on the order or the batch they are asked in.
    /// </summary>
    void BeginEpoch(int epoch) { }
    /// <summary>Copies the examples at the given indices into inputs [n, InputSize] and targets [n, TargetSize].</summary>
    void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets);
}
