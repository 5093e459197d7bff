using FsCheck;
using FsCheck.Fluent;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Tests.DriftChamber;

/// <summary>Clusterisation, the least-squares baseline, peak tokens and the count transformer's padding.</summary>
public class CountingTests
{
    [Fact]
    public void Clusterisation_joins_peaks_within_s_sqrt_t_of_the_clusters_first_peak()
    {
        // 1 ns samples, crossing at 0: at t = 100 ns the window is 0.23 * 10 = 2.3 ns.
        // 100 opens, 102 joins (2 <= 2.3), 103 opens (3 > 2.3 from 100), 105 joins 103 (2 <= 2.33), 200 opens.
        Assert.Equal(3, Clusterisation.Count([100, 102, 103, 105, 200], 1.0, 0, 0.23));
        // Drift time is counted from the crossing: at 60 ns with the crossing at 50 ns the window is 0.23 * sqrt(10) = 0.73 ns.
        Assert.Equal(2, Clusterisation.Count([60, 61], 1.0, 50, 0.23));
        Assert.Equal(1, Clusterisation.Count([60, 61], 1.0, 0, 0.23));
        Assert.Equal(0, Clusterisation.Count([], 0.5, 50));
        // Samples are converted to ns: 200 and 204 at 0.5 ns are 100 and 102 ns.
        Assert.Equal(1, Clusterisation.Count([200, 204], 0.5, 0, 0.23));
    }

    [Fact]
    public void Least_squares_line_recovers_an_exact_line_and_meets_the_normal_equations()
    {
        var exact = LeastSquaresLine.Fit([1, 2, 4, 7], [5, 7, 11, 17]);
        Assert.Equal(2, exact.Slope, 12);
        Assert.Equal(3, exact.Intercept, 12);
        var flat = LeastSquaresLine.Fit([3, 3, 3], [1, 2, 6]);
        Assert.Equal((0.0, 3.0), (flat.Slope, flat.At(10)));

        // The defining property, independent of the closed form: residuals are orthogonal to 1 and to x.
        Prop.ForAll(Gen.Choose(-50, 50).Select(v => v / 4.0).ArrayOf().Where(a => a.Length >= 4 && a.Distinct().Count() > 1).ToArbitrary(), x =>
        {
            var rng = new Rng((ulong)x.Length);
            var y = x.Select(v => 0.7 * v - 2 + rng.NextNormal()).ToArray();
            var line = LeastSquaresLine.Fit(x, y);
            double sum = 0, dot = 0, scale = y.Sum(Math.Abs) * (1 + x.Max(Math.Abs));
            for (int i = 0; i < x.Length; i++)
            {
                double r = y[i] - line.At(x[i]);
                sum += r;
                dot += r * x[i];
            }
            return Math.Abs(sum) < 1e-9 * scale && Math.Abs(dot) < 1e-9 * scale * x.Length;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Peak_tokens_hold_time_amplitude_gap_score_and_a_mask_in_time_order()
    {
        var waveform = new float[200];
        Array.Fill(waveform, 0.1f);
        waveform[60] = 1.1f;
        waveform[70] = 0.6f;
        var tokens = new float[PeakTokens.InputSize];
        PeakTokens.Build(waveform, new FoundPeaks([60, 70], [0.9f, 0.7f]), 0.5, tokens);
        Assert.Equal([60 / 200f, 2f, 0f, 0.9f, 1f], tokens[..5]);
        // Gap 10 samples = 5 ns = 0.5 of the 10 ns unit.
        Assert.Equal([70 / 200f, 1f, 0.5f, 0.7f, 1f], tokens[5..10]);
        Assert.All(tokens[10..], t => Assert.Equal(0f, t));
    }

    [Fact]
    public void Count_transformer_gives_the_same_counts_with_or_without_trailing_padding_and_other_waveforms()
    {
        var model = new CountTransformer(new CountTransformerConfig { TargetMean = 17, TargetScale = 5 }, new Rng(3));
        model.Eval();
        var rng = new Rng(9);
        var inputs = new float[3 * PeakTokens.InputSize];
        int[] lengths = [7, 2, 40];
        for (int b = 0; b < 3; b++)
            for (int k = 0; k < lengths[b]; k++)
            {
                var token = inputs.AsSpan(b * PeakTokens.InputSize + k * PeakTokens.Features, PeakTokens.Features);
                for (int f = 0; f < 4; f++) token[f] = (float)rng.NextDouble();
                token[4] = 1;
            }
        float[] Run(float[] x, int n)
        {
            var tape = new Tape(gradients: false);
            return model.Forward(tape, tape.From(x, new Shape(n, PeakTokens.InputSize))).Data.ToArray();
        }
        var together = Run(inputs, 3);
        for (int b = 0; b < 3; b++)
        {
            var alone = Run(inputs.AsSpan(b * PeakTokens.InputSize, PeakTokens.InputSize).ToArray(), 1);
            Assert.Equal(together[b], alone[0], 1e-5f);
        }
        Assert.NotEqual(together[0], together[1]);
    }

    [Fact]
    public void The_noise_estimate_of_a_record_shorter_than_its_window_uses_what_is_there()
    {
        // Tokens take their baseline from Noise.Estimate: a one-sample record is its own baseline (rms 0), not an exception.
        Assert.Equal((4.0, 0.0), Noise.Estimate([4f], 10));
        Assert.Equal((0.0, 0.0), Noise.Estimate([], 10));
        var tokens = new float[PeakTokens.InputSize];
        PeakTokens.Build([4f], new FoundPeaks([0], [1f]), 0.5, tokens);
        Assert.Equal(0f, tokens[1]);
        Assert.Equal(PeakSource.DefaultMinAmplitudeSigma, new Peakformer.DriftChamber.Models.CountModelInfo().MinAmplitudeSigma);
    }
}
