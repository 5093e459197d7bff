using System.Globalization;
using Peakformer.Data.Waveforms;
using Peakformer.Progress;

namespace Peakformer.DriftChamber.Inputs;

/// <summary>
/// Compares the data a model is applied to with the data it was trained on. A sampling interval that differs by more
/// than <see cref="SamplingTolerance"/> is an error (the model's time scale would be wrong); noise, peak amplitude or
/// baseline far from training (another amplitude unit, ADC counts, a pedestal left in) and another record length are
/// warnings naming the option that converts. The comparison is always reported with its numbers.
/// </summary>
public static class InputCheck
{
    public const double SamplingTolerance = 0.01;
    /// <summary>Noise more than this factor from training's is warned about.</summary>
    public const double NoiseFactor = 3;
    /// <summary>
    /// Median peak amplitude more than this factor from training's is warned about: wider than for noise, since
    /// pile-up (track angle, particle, gas) moves it on genuine data; a unit mistake (ADC counts: x256) is far beyond.
    /// </summary>
    public const double PeakFactor = 10;
    /// <summary>
    /// Pulses are taken for negative when the median dip below the baseline is this many times the median peak above
    /// it and at least <see cref="PolaritySigmas"/> noise rms deep (noise alone dips as far as it peaks).
    /// </summary>
    public const double PolarityFactor = 3;
    public const double PolaritySigmas = 5;
    /// <summary>A baseline further than this many training noise rms from training's is warned about.</summary>
    public const double BaselineSigmas = 5;

    /// <summary>
    /// Measures the data (its first waveforms), compares and reports; returns the measured conventions. With
    /// <paramref name="normalising"/> (predict --normalise) baseline, noise and amplitude differences are not warned
    /// about as needing --pedestal or --gain: the normalisation removes them.
    /// </summary>
    public static InputConventions Run(WaveformDataset data, InputConventions? trained, double trainedSamplingNs, string model, IProgressReporter progress, bool normalising = false)
    {
        if (trained is null)
            progress.Note($"{model}: no training-data conventions recorded (an older checkpoint): assuming the simulator's " +
                $"(sampling {Show(trainedSamplingNs)} ns, noise rms {Show(Physics.DriftChamberConstants.NoiseRms)}, baseline 0, {InputConventions.Simulator})");
        var input = InputStatistics.Measure(data);
        foreach (string line in Compare(trained ?? InputConventions.SimulatorDefaults(trainedSamplingNs), input, data.Path, model, normalising)) progress.Note(line);
        return input;
    }

    /// <summary>The report lines (warnings start with "warning: "); a sampling mismatch throws.</summary>
    public static IReadOnlyList<string> Compare(InputConventions trained, InputConventions input, string data, string model, bool normalising = false)
    {
        if (Math.Abs(input.SamplingNs / trained.SamplingNs - 1) > SamplingTolerance)
            throw new InputException($"{data}: sampled every {Show(input.SamplingNs)} ns, the model {model} was trained on {Show(trained.SamplingNs)} ns: " +
                "give --resample to resample the waveforms to the model's interval (or, if the file's sampling interval is wrong, --sampling-ns)");
        // Short lines: a terminal wraps at its width, and a number split from its name is easy to misread.
        var lines = new List<string>
        {
            $"input vs training data ({input.Waveforms:N0} waveforms measured; training in {trained.AmplitudeUnit}, {trained.Baseline}):",
            $"  noise rms (1.4826 x MAD of the first {Show(Physics.DriftChamberConstants.NoiseWindowNs)} ns): {Show(input.NoiseRms)} vs {Show(trained.NoiseRms)}",
            $"  peak amplitude above baseline, median (90%): {Show(input.PeakAmplitudeMedian)} ({Show(input.PeakAmplitudeP90)}) vs {Show(trained.PeakAmplitudeMedian)} ({Show(trained.PeakAmplitudeP90)})",
            $"  baseline (median of the first {Show(Physics.DriftChamberConstants.NoiseWindowNs)} ns): {Show(input.BaselineMedian)} vs {Show(trained.BaselineMedian)}",
        };
        if (Negative(input))
            lines.Add($"warning: {data}: pulses look negative (median dip {Show(input.DipAmplitudeMedian)} below the baseline, median peak {Show(input.PeakAmplitudeMedian)} above): give --invert");
        if (trained.Samples > 0 && input.Samples != trained.Samples)
            lines.Add($"warning: {data}: records of {input.Samples} samples, the model's training data {trained.Samples}");
        if (normalising)
        {
            lines.Add($"  --normalise: each waveform's baseline is subtracted and its noise scaled to {Show(trained.NoiseRms)}, so the differences above need no conversion");
            return lines;
        }
        if (Off(input.BaselineMedian - trained.BaselineMedian, BaselineSigmas * trained.NoiseRms))
            lines.Add($"warning: {data}: baseline {Show(input.BaselineMedian)}, training {Show(trained.BaselineMedian)} (noise rms {Show(trained.NoiseRms)}): give the pedestal, --pedestal");
        Ratio(lines, "noise rms", input.NoiseRms, trained.NoiseRms, NoiseFactor, data);
        Ratio(lines, "median peak amplitude", input.PeakAmplitudeMedian, trained.PeakAmplitudeMedian, PeakFactor, data);
        return lines;
    }

    private static void Ratio(List<string> lines, string what, double input, double trained, double factor, string data)
    {
        if (!(double.IsFinite(trained) && trained > 0 && double.IsFinite(input))) return;
        double ratio = input / trained;
        if (ratio <= factor && ratio >= 1 / factor) return;
        lines.Add($"warning: {data}: {what} {Show(input)}, training {Show(trained)} ({ratio.ToString("G3", CultureInfo.InvariantCulture)} times): another unit (ADC counts?); convert with --gain");
    }

    /// <summary>Whether the measured pulses point down (see <see cref="PolarityFactor"/>).</summary>
    public static bool Negative(InputConventions input) =>
        input.DipAmplitudeMedian > PolarityFactor * input.PeakAmplitudeMedian && input.DipAmplitudeMedian > PolaritySigmas * input.NoiseRms;

    private static bool Off(double difference, double limit) => double.IsFinite(difference) && limit > 0 && Math.Abs(difference) > limit;

    private static string Show(double v) => double.IsNaN(v) ? "unknown" : v.ToString("G4", CultureInfo.InvariantCulture);
}
