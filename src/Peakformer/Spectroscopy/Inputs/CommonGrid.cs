using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// Spectra brought onto one shift axis by linear interpolation (<see cref="LinearInterpolation"/>, the resample
/// step's maths); the target must lie within every spectrum's own range, so nothing is extrapolated.
/// </summary>
public static class CommonGrid
{
    /// <summary>One spectrum on <paramref name="axis"/> resampled onto <paramref name="target"/> (ascending) into output; <paramref name="where"/> names it in the error.</summary>
    public static void Resample(ReadOnlySpan<double> axis, ReadOnlySpan<double> values, double[] target, Span<float> output, string where)
    {
        if (target[0] < axis[0] || target[^1] > axis[^1])
            throw InputException.At(where, null, "shift range", $"[{Finite.Describe(target[0])}, {Finite.Describe(target[^1])}] cm^-1 (the common grid; state one within every spectrum with --grid MIN:MAX:POINTS)",
                $"[{Finite.Describe(axis[0])}, {Finite.Describe(axis[^1])}]");
        int j = 0;
        for (int k = 0; k < target.Length; k++) output[k] = (float)LinearInterpolation.At(axis, values, target[k], ref j);
    }

    /// <summary>Every spectrum of the set on <paramref name="target"/>, said in one line.</summary>
    public static SpectrumSet Onto(SpectrumSet set, double[] target, string source, Action<string> note)
    {
        if (set.Length < 2) throw InputException.At(source, null, "spectrum", "at least 2 points to resample", $"{set.Length}");
        var values = new float[(long)set.Count * target.Length];
        var row = new double[set.Length];
        for (int i = 0; i < set.Count; i++)
        {
            var s = set.Spectrum(i);
            for (int k = 0; k < row.Length; k++) row[k] = s[k];
            Resample(set.Wavenumbers, row, target, values.AsSpan(i * target.Length, target.Length), source);
        }
        note($"{source}: {set.Count:N0} spectra resampled from {Finite.Describe(set.Wavenumbers[0])}..{Finite.Describe(set.Wavenumbers[^1])} cm^-1 ({set.Length} points) " +
             $"onto {Finite.Describe(target[0])}..{Finite.Describe(target[^1])} cm^-1 ({target.Length} points), linear interpolation");
        return new SpectrumSet(values, set.Labels, set.ClassNames, target, set.GeneratorJson, set.PreprocessingJson);
    }
}
