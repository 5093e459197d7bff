namespace Peakformer.Spectroscopy.Training;

/// <summary>
/// The augmentation transforms of one spectrum, each a closed form on its own (ters-ml-math-reference.md §10 for roll
/// and noise); <see cref="SpectrumExamples"/> applies them in the order mix, roll, scale and baseline, noise.
/// </summary>
public static class SpectrumTransform
{
    /// <summary>Largest roll accepted, in bins.</summary>
    public const int MaxRoll = 4096;

    /// <summary>out = lambda a + (1 - lambda) b (mixup of two spectra).</summary>
    public static void Mix(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double lambda, Span<float> output)
    {
        for (int k = 0; k < output.Length; k++) output[k] = (float)(lambda * a[k] + (1 - lambda) * b[k]);
    }

    /// <summary>Circular roll by s bins (§10): out[k] = in[(k - s) mod L] (as numpy.roll(x, s)).</summary>
    public static void Roll(ReadOnlySpan<float> input, int s, Span<float> output)
    {
        int length = input.Length;
        int shift = ((s % length) + length) % length;
        for (int k = 0; k < length; k++) output[(k + shift) % length] = input[k];
    }

    /// <summary>x[k] = factor x[k] + offset + slope (k / (L - 1) - 1/2): intensity scale and a straight baseline through offset at the centre.</summary>
    public static void ScaleAndBaseline(Span<float> x, double factor, double offset, double slope)
    {
        int last = Math.Max(1, x.Length - 1);
        for (int k = 0; k < x.Length; k++) x[k] = (float)(factor * x[k] + offset + slope * ((double)k / last - 0.5));
    }

    /// <summary>
    /// Additive Gaussian noise with clipping (§10): x[k] = clip(x[k] + sigma z_k, min x, max x), the z_k given
    /// (standard normal draws); the clip keeps the spectrum's own range ([0, 1] for a min-max normalised one).
    /// </summary>
    public static void AddNoise(Span<float> x, double sigma, ReadOnlySpan<double> z)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in x)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        for (int k = 0; k < x.Length; k++) x[k] = Math.Clamp((float)(x[k] + sigma * z[k]), lo, hi);
    }
}
