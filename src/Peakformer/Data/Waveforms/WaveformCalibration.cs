using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// A file's sampling interval and amplitude scale, from its own values and the options (which win and say so): the
/// one place every reader settles them, so each format checks and notes them alike.
/// </summary>
public sealed record WaveformCalibration(double SamplingNs, AmplitudeScale Scale)
{
    /// <summary>
    /// <paramref name="samplingName"/> names the file's sampling array or column in errors; the file's values are
    /// null when absent (pedestal and gain 1 or <paramref name="count"/> long).
    /// </summary>
    public static WaveformCalibration Resolve(string path, string samplingName, NpyType type, int count,
        double? fileSampling, double[]? filePedestal, double[]? fileGain, WaveformReadOptions options, List<string> notes)
    {
        double sampling = options.SamplingNs ?? fileSampling ?? DriftChamberConstants.SamplingNs;
        if (options.SamplingNs is { } o && fileSampling is { } f && o != f)
            notes.Add($"{path}: --sampling-ns {Show(o)} used instead of the file's {Show(f)} ns");
        if (!(sampling > 0 && sampling <= 1e6))
            throw InputException.At($"{path} [{samplingName}]", null, "index 0", "a sampling interval in (0, 1e6] ns", Show(sampling));
        return new(sampling, AmplitudeScale.From(path, type, count, filePedestal, fileGain, options, notes));
    }

    private static string Show(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
