using Peakformer.Engine.Randomness;

namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// Polarised Raman intensities (ters-ml-math-reference.md §3): mode m has a Raman tensor R_m (3x3, row-major), the
/// molecule an orientation Q (uniform over rotations), and the band's intensity is I_m = |e_s^T (Q R_m Q^T) e_i|^2
/// for incident and scattered polarisations e_i, e_s. Tensors are symmetric, R = (A + A^T) / 2 with A_jk ~ N(0, 1)
/// drawn per class from the class seed. The simulator scales each band by I_m over its orientation average in
/// parallel polarisation, (45 a^2 + 4 gamma^2) / 45 (a the mean of the diagonal, gamma^2 the anisotropy), so band
/// areas keep their scale on average while single spectra vary with orientation and the crossed/parallel ratio
/// follows each mode's symmetry.
/// </summary>
public static class RamanTensors
{
    private const ulong TensorStream = 0x7E4503, OrientationStream = 0x0219E4;

    /// <summary>The classes with a symmetric tensor per band, class k's drawn from stream (class seed, k).</summary>
    public static ClassBands[] Attach(IReadOnlyList<ClassBands> classes, ulong classSeed)
    {
        var result = new ClassBands[classes.Count];
        for (int k = 0; k < classes.Count; k++)
        {
            var rng = Rng.ForStream(Rng.Mix(classSeed, TensorStream), (ulong)k);
            var tensors = new double[classes[k].Bands.Count][];
            for (int m = 0; m < tensors.Length; m++) tensors[m] = Symmetric(rng);
            result[k] = classes[k] with { Tensors = tensors };
        }
        return result;
    }

    /// <summary>(A + A^T) / 2, A_jk ~ N(0, 1), row-major.</summary>
    public static double[] Symmetric(Rng rng)
    {
        var a = new double[9];
        for (int i = 0; i < 9; i++) a[i] = rng.NextNormal();
        var r = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) r[i * 3 + j] = (a[i * 3 + j] + a[j * 3 + i]) / 2;
        return r;
    }

    /// <summary>The orientation of spectrum <paramref name="index"/>: its own stream, apart from the spectrum's other draws.</summary>
    public static double[] Orientation(ulong seed, long index) => Rotation(Rng.ForStream(Rng.Mix(seed, OrientationStream), (ulong)index));

    /// <summary>A rotation matrix uniform over SO(3) (Shoemake's uniform unit quaternion), row-major.</summary>
    public static double[] Rotation(Rng rng)
    {
        double u1 = rng.NextDouble(), u2 = 2 * Math.PI * rng.NextDouble(), u3 = 2 * Math.PI * rng.NextDouble();
        double a = Math.Sqrt(1 - u1), b = Math.Sqrt(u1);
        double w = a * Math.Sin(u2), x = a * Math.Cos(u2), y = b * Math.Sin(u3), z = b * Math.Cos(u3);
        return
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
        ];
    }

    /// <summary>|e_s^T (Q R Q^T) e_i|^2.</summary>
    public static double Intensity(double[] tensor, double[] rotation, ReadOnlySpan<double> incident, ReadOnlySpan<double> scattered)
    {
        // Q^T e_i and Q^T e_s: the polarisations in the molecule's frame.
        Span<double> i = stackalloc double[3], s = stackalloc double[3];
        for (int c = 0; c < 3; c++)
        {
            i[c] = rotation[c] * incident[0] + rotation[3 + c] * incident[1] + rotation[6 + c] * incident[2];
            s[c] = rotation[c] * scattered[0] + rotation[3 + c] * scattered[1] + rotation[6 + c] * scattered[2];
        }
        double amplitude = 0;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) amplitude += s[r] * tensor[r * 3 + c] * i[c];
        return amplitude * amplitude;
    }

    /// <summary>Mean polarisability a = trace / 3 and anisotropy gamma^2 of a symmetric tensor (Long, The Raman Effect).</summary>
    public static (double A, double Gamma2) Invariants(double[] r)
    {
        double a = (r[0] + r[4] + r[8]) / 3;
        double g2 = 0.5 * ((r[0] - r[4]) * (r[0] - r[4]) + (r[4] - r[8]) * (r[4] - r[8]) + (r[8] - r[0]) * (r[8] - r[0]))
                    + 3 * (r[1] * r[1] + r[5] * r[5] + r[2] * r[2]);
        return (a, g2);
    }

    /// <summary>The orientation average of the parallel intensity, (45 a^2 + 4 gamma^2) / 45.</summary>
    public static double ParallelAverage(double[] r)
    {
        var (a, g2) = Invariants(r);
        return (45 * a * a + 4 * g2) / 45;
    }
}
