using Peakformer.DriftChamber.Inputs;

namespace Peakformer.Tests.DriftChamber;

/// <summary>Robust input statistics against closed-form values, and the comparison's errors and warnings.</summary>
public class InputStatisticsTests
{
    [Fact]
    public void Baseline_noise_and_peak_follow_from_the_definitions()
    {
        // 0.5 ns sampling: the first 25 ns are 50 samples, alternating 10 +- 0.2 (median 10, MAD 0.2); one spike of 13.
        var w = new float[200];
        for (int i = 0; i < w.Length; i++) w[i] = i % 2 == 0 ? 10.2f : 9.8f;
        w[120] = 13f;
        var (baseline, noise, peak) = InputStatistics.Of(w, 0.5);
        Assert.Equal(10, baseline, 5);
        Assert.Equal(1.4826 * 0.2, noise, 5);
        Assert.Equal(3, peak, 5);
    }

    [Fact]
    public void Quantiles_interpolate_as_numpy_does()
    {
        Assert.Equal(2.5, InputStatistics.Median([4, 1, 3, 2]));
        Assert.Equal(3.7, InputStatistics.Quantile([1, 2, 3, 4], 0.9), 12); // np.quantile([1,2,3,4], 0.9)
    }

    [Fact]
    public void Adc_counts_are_warned_about_and_other_sampling_refused()
    {
        var trained = new InputConventions { SamplingNs = 0.5, Samples = 1200, NoiseRms = 0.025, PeakAmplitudeMedian = 1.5, PeakAmplitudeP90 = 3 };
        var adc = trained with { NoiseRms = 6.4, PeakAmplitudeMedian = 384, BaselineMedian = 200 };
        var lines = InputCheck.Compare(trained, adc, "run.h5", "count.safetensors");
        Assert.Contains(lines, l => l.StartsWith("warning: run.h5: noise rms 6.4, training 0.025 (256 times)", StringComparison.Ordinal) && l.Contains("--gain"));
        Assert.Contains(lines, l => l.StartsWith("warning: run.h5: median peak amplitude 384", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warning: run.h5: baseline 200, training 0 (noise rms 0.025)", StringComparison.Ordinal) && l.Contains("--pedestal"));
        Assert.DoesNotContain(InputCheck.Compare(trained, trained with { NoiseRms = 0.03 }, "a", "m"), l => l.StartsWith("warning:", StringComparison.Ordinal));
        var e = Assert.Throws<InputException>(() => InputCheck.Compare(trained, trained with { SamplingNs = 0.25 }, "run.h5", "m"));
        Assert.Contains("sampled every 0.25 ns, the model m was trained on 0.5 ns", e.Message);
    }

    [Fact]
    public void With_normalise_no_conversion_is_asked_for_but_negative_pulses_still_are()
    {
        var trained = new InputConventions { SamplingNs = 0.5, Samples = 1200, NoiseRms = 0.025, PeakAmplitudeMedian = 1.5, PeakAmplitudeP90 = 3 };
        var adc = trained with { NoiseRms = 6.4, PeakAmplitudeMedian = 384, BaselineMedian = 200 };
        var lines = InputCheck.Compare(trained, adc, "run.h5", "peak.safetensors", normalising: true);
        Assert.DoesNotContain(lines, l => l.Contains("--gain") || l.Contains("--pedestal"));
        var negative = trained with { NoiseRms = 0.025, PeakAmplitudeMedian = 0.1, DipAmplitudeMedian = 1.5 };
        Assert.Contains(InputCheck.Compare(trained, negative, "run.h5", "peak.safetensors", normalising: true), l => l.Contains("--invert"));
    }

    [Fact]
    public void A_waveform_without_measurable_noise_is_scaled_by_the_median_noise_of_the_others()
    {
        // Three rows of 200 samples at 0.5 ns, each a step of 4 from sample 120; rows 0 and 1 carry +-0.2 noise
        // (1.4826 x 0.2 rms), row 2 is flat (MAD 0, as quantised ADC samples on a quiet baseline).
        var w = new float[600];
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < 200; i++)
                w[r * 200 + i] = (r < 2 ? (i % 2 == 0 ? 0.2f : -0.2f) : 0f) + (i >= 120 ? 4f : 0f);
        int flat = AmplitudeNormalisation.Apply(w, 200, 0.5, 0.025);
        Assert.Equal(1, flat);
        // Scaled to noise 0.025 like the others: the step becomes 4 x 0.025 / (1.4826 x 0.2).
        Assert.Equal(4 * 0.025 / (1.4826 * 0.2), w[2 * 200 + 150], 4);
        Assert.Equal(0, w[2 * 200 + 10], 6);
    }
}
