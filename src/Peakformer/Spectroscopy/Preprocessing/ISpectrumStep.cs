namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// One step of a <see cref="PreprocessingPipeline"/>: it may change the shift axis (crop, resample) and maps each
/// spectrum on the input axis to one on the output axis. <see cref="Spec"/> is its canonical text, which
/// <see cref="StepParser"/> reads back to the same step (that is how a pipeline is saved).
/// </summary>
public interface ISpectrumStep
{
    string Spec { get; }

    /// <summary>The axis this step produces from <paramref name="axis"/>; an axis it cannot work on is an <see cref="InputException"/>.</summary>
    double[] OutputAxis(double[] axis);

    /// <summary>Maps one spectrum (length of <paramref name="axis"/>) into <paramref name="output"/> (length of the output axis).</summary>
    void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output);
}
