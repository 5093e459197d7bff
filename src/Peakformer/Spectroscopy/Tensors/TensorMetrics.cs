namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// How well predicted tensors match the truth, over N examples: the sign-invariant RMSE per component,
/// sqrt(mean min(||R_hat - R||^2, ||R_hat + R||^2) / 9); the mean relative Frobenius error (the same norm over
/// ||R||_F); the mean asymmetry ||R_hat - R_hat^T||_F (0 for a physical, symmetric tensor); and the mean absolute
/// errors of the invariants a and gamma^2 (<see cref="TensorMath.Invariants"/>: read from the symmetric part of
/// R_hat, a after the matching sign; gamma^2 does not depend on it).
/// </summary>
public sealed record TensorMetrics(int Examples, double Rmse, double RelativeFrobenius, double Asymmetry, double MeanAError, double Gamma2Error)
{
    public static TensorMetrics Of(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        if (predicted.Length != truth.Length || predicted.Length % 9 != 0)
            throw new ArgumentException($"TensorMetrics: {predicted.Length} predicted and {truth.Length} true values are not whole tensors of 9.");
        int n = predicted.Length / 9;
        double squared = 0, relative = 0, asymmetry = 0, aError = 0, gError = 0;
        for (int i = 0; i < n; i++)
        {
            var p = predicted.Slice(i * 9, 9);
            var t = truth.Slice(i * 9, 9);
            double error = TensorMath.SignInvariantSquaredError(p, t), norm = 0;
            foreach (float v in t) norm += (double)v * v;
            squared += error;
            relative += norm > 0 ? Math.Sqrt(error / norm) : 0;
            asymmetry += Math.Sqrt(TensorMath.Asymmetry(p));
            int sign = TensorMath.Sign(p, t);
            var (a, g2) = TensorMath.Invariants(p, sign);
            var (aTrue, g2True) = TensorMath.Invariants(t);
            aError += Math.Abs(a - aTrue);
            gError += Math.Abs(g2 - g2True);
        }
        return n == 0 ? new TensorMetrics(0, 0, 0, 0, 0, 0)
            : new TensorMetrics(n, Math.Sqrt(squared / (9.0 * n)), relative / n, asymmetry / n, aError / n, gError / n);
    }
}
