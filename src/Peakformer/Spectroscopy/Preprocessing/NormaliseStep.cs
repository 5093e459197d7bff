namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary><c>minmax</c>, <c>area</c>, <c>vector</c> or <c>max</c>: each spectrum scaled by <see cref="Normalisation"/>.</summary>
public sealed record NormaliseStep(NormalisationKind Kind) : ISpectrumStep
{
    public static NormaliseStep Parse(StepArguments a, NormalisationKind kind)
    {
        a.Expect(0, 0, a.Name);
        return new NormaliseStep(kind);
    }

    public string Spec => Kind.ToString().ToLowerInvariant();

    public double[] OutputAxis(double[] axis) => axis;

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output)
    {
        input.CopyTo(output);
        Normalisation.Apply(Kind, axis, output);
    }
}
