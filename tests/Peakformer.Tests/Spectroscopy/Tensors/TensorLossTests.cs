using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;
using Peakformer.Spectroscopy.Tensors;

namespace Peakformer.Tests.Spectroscopy.Tensors;

/// <summary>
/// The tensor task's loss against closed forms: ||R - R^T||_F^2 and its gradient 4 (R - R^T), the sign-invariant MSE
/// choosing the nearer of R and -R, the objective's backward against finite differences, and the metrics.
/// </summary>
public class TensorLossTests
{
    // R - R^T = [[0, -2, -4], [2, 0, -2], [4, 2, 0]]: ||.||_F^2 = 2 (4 + 16 + 4) = 48.
    private static readonly float[] Counting = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void The_asymmetry_of_a_known_matrix_is_its_closed_form()
    {
        Assert.Equal(48, TensorMath.Asymmetry(Counting), 12);
        Assert.Equal(0, TensorMath.Asymmetry([1, 2, 3, 2, 5, 6, 3, 6, 9]), 12);
    }

    [Fact]
    public void The_asymmetry_gradient_is_four_times_the_antisymmetric_difference_and_matches_finite_differences()
    {
        var gradient = new double[9];
        TensorMath.AsymmetryGradient(Counting, gradient);
        Assert.Equal([0, -8, -16, 8, 0, -8, 16, 8, 0], gradient);
        var rng = new Rng(3);
        var r = Enumerable.Range(0, 9).Select(_ => (float)rng.NextNormal()).ToArray();
        TensorMath.AsymmetryGradient(r, gradient);
        for (int k = 0; k < 9; k++)
        {
            // The penalty is quadratic: a central difference is exact up to rounding.
            var plus = (float[])r.Clone();
            var minus = (float[])r.Clone();
            plus[k] += 0.25f;
            minus[k] -= 0.25f;
            Assert.Equal((TensorMath.Asymmetry(plus) - TensorMath.Asymmetry(minus)) / 0.5, gradient[k], 5);
        }
    }

    [Fact]
    public void The_loss_takes_the_nearer_sign_per_example_and_adds_lambda_times_the_mean_asymmetry()
    {
        float[] truth = [1, 0.5f, 0, 0.5f, -1, 0.25f, 0, 0.25f, 2, 0, 1, 0, 1, 0, 0, 0, 0, -1];
        // Example 0 near +R (off by 0.1 in one component), example 1 near -R (off by 0.2 and asymmetric by 0.3).
        var output = (float[])truth.Clone();
        output[4] += 0.1f;
        for (int k = 9; k < 18; k++) output[k] = -truth[k];
        output[10] += 0.2f;
        output[12] -= 0.1f;
        // Squared errors: 0.01 and 0.04 + 0.01; asymmetry: example 1 has R01 - R10 = -1 + 0.2 - (-1 - 0.1) = 0.3, 2 x 0.09.
        double mse = (0.01 + 0.05) / 18, penalty = (0 + 0.18) / 2;
        foreach (float lambda in new[] { 0f, 0.5f, 3f })
        {
            var tape = new Tape(gradients: false);
            float loss = new TensorObjective(lambda).Loss(tape, tape.From(output, new Shape(2, 9)), tape.From(truth, new Shape(2, 9))).Item();
            Assert.Equal(mse + lambda * penalty, loss, 5);
        }
    }

    [Fact]
    public void Backward_matches_finite_differences_with_and_without_the_penalty()
    {
        var rng = new Rng(11);
        var truth = Enumerable.Range(0, 27).Select(_ => (float)rng.NextNormal()).ToArray();
        // Outputs near +R, -R and +R: each far from the tie between the signs, so the min is smooth there.
        var output = truth.Select((t, i) => (i / 9 == 1 ? -t : t) + 0.3f * (float)rng.NextNormal()).ToArray();
        foreach (float lambda in new[] { 0f, 0.7f })
        {
            var objective = new TensorObjective(lambda);
            var x = Tensor.FromArray(output, new Shape(3, 9));
            GradientCheck.Run((tape, inputs) => objective.Loss(tape, inputs[0], tape.From(truth, new Shape(3, 9))), [x], step: 1e-2, rtol: 1e-2, atol: 1e-4);
        }
    }

    [Fact]
    public void The_penalty_adds_four_lambda_over_batch_times_the_antisymmetric_difference_to_the_gradient()
    {
        var rng = new Rng(5);
        var truth = Enumerable.Range(0, 18).Select(_ => (float)rng.NextNormal()).ToArray();
        var output = Enumerable.Range(0, 18).Select(_ => (float)rng.NextNormal()).ToArray();
        float[] Gradient(float lambda)
        {
            var x = Tensor.FromArray(output, new Shape(2, 9)).WithGrad();
            var tape = new Tape();
            tape.Backward(new TensorObjective(lambda).Loss(tape, x, tape.From(truth, new Shape(2, 9))));
            return x.Grad!.ToArray();
        }
        var plain = Gradient(0);
        var penalised = Gradient(2);
        var expected = new double[9];
        for (int b = 0; b < 2; b++)
        {
            TensorMath.AsymmetryGradient(output.AsSpan(b * 9, 9), expected);
            for (int k = 0; k < 9; k++) Assert.Equal(2.0 / 2 * expected[k], penalised[b * 9 + k] - plain[b * 9 + k], 4);
        }
    }

    [Fact]
    public void Metrics_ignore_the_global_sign_and_measure_asymmetry_and_invariants()
    {
        float[] truth = [1, 0.5f, 1, 0.5f, 3, 0.25f, 1, 0.25f, -1];
        var flipped = truth.Select(v => -v).ToArray();
        var m = TensorMetrics.Of(flipped, truth);
        Assert.Equal((0.0, 0.0, 0.0, 0.0, 0.0), (m.Rmse, m.RelativeFrobenius, m.Asymmetry, m.MeanAError, m.Gamma2Error));
        var twisted = (float[])truth.Clone();
        twisted[1] += 1;
        twisted[3] -= 1;
        m = TensorMetrics.Of(twisted, truth);
        // Off by +1 and -1: RMSE sqrt(2 / 9); antisymmetric only, so the symmetric part (and a, gamma^2) are exact.
        Assert.Equal(Math.Sqrt(2.0 / 9), m.Rmse, 6);
        Assert.Equal(Math.Sqrt(8.0), m.Asymmetry, 6);
        Assert.Equal(0, m.MeanAError, 6);
        Assert.Equal(0, m.Gamma2Error, 5);
        // ||R||_F^2 = 1 + 9 + 1 + 2 (0.25 + 1 + 0.0625) = 13.625.
        Assert.Equal(Math.Sqrt(2 / 13.625), m.RelativeFrobenius, 6);
    }
}
