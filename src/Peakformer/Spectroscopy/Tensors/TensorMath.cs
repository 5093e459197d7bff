using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// The tensor task's maths on one 3x3 row-major tensor, each once: the sign that matches a prediction to its target
/// (intensities |e_s^T R e_i|^2 cannot tell R from -R), the squared asymmetry ||R - R^T||_F^2 of the symmetry penalty
/// (ters-ml-math-reference.md §3, §6) and its gradient, and the symmetric part that the invariants are read from.
/// </summary>
public static class TensorMath
{
    /// <summary>+1 or -1: the sign s of min over s of ||predicted - s truth||^2 (+1 on a tie).</summary>
    public static int Sign(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        double minus = 0, plus = 0;
        for (int k = 0; k < 9; k++)
        {
            double d = predicted[k] - truth[k], s = predicted[k] + truth[k];
            minus += d * d;
            plus += s * s;
        }
        return plus < minus ? -1 : 1;
    }

    /// <summary>min(||p - t||^2, ||p + t||^2).</summary>
    public static double SignInvariantSquaredError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        int s = Sign(predicted, truth);
        double sum = 0;
        for (int k = 0; k < 9; k++) sum += Square(predicted[k] - s * truth[k]);
        return sum;
    }

    /// <summary>||R - R^T||_F^2 = 2 sum over j &lt; k of (R_jk - R_kj)^2.</summary>
    public static double Asymmetry(ReadOnlySpan<float> r) => 2 * (Square(r[1] - r[3]) + Square(r[2] - r[6]) + Square(r[5] - r[7]));

    /// <summary>
    /// d ||R - R^T||_F^2 / dR = 4 (R - R^T): each off-diagonal difference A_jk = R_jk - R_kj enters the sum twice (as
    /// A_jk^2 and A_kj^2 = A_jk^2), so dR_jk of 2 A_jk^2 is 4 A_jk; the diagonal does not enter.
    /// </summary>
    public static void AsymmetryGradient(ReadOnlySpan<float> r, Span<double> gradient)
    {
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) gradient[j * 3 + k] = 4.0 * (r[j * 3 + k] - r[k * 3 + j]);
    }

    /// <summary>(R + R^T) / 2 times <paramref name="sign"/>, as doubles.</summary>
    public static double[] SymmetricPart(ReadOnlySpan<float> r, int sign = 1)
    {
        var s = new double[9];
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) s[j * 3 + k] = sign * 0.5 * (r[j * 3 + k] + r[k * 3 + j]);
        return s;
    }

    /// <summary>The invariants a and gamma^2 (<see cref="RamanTensors.Invariants"/>) of the symmetric part, after the matching sign.</summary>
    public static (double A, double Gamma2) Invariants(ReadOnlySpan<float> r, int sign = 1) => RamanTensors.Invariants(SymmetricPart(r, sign));

    private static double Square(double x) => x * x;
}
