namespace Peakformer.Data.Waveforms;

/// <summary>
/// How to read waveform files that did not come from <c>simulate</c>: the ADC calibration and sampling interval when
/// the file lacks them (or to override it), the names of the arrays, and a CSV's leading non-sample columns.
/// </summary>
public sealed record WaveformReadOptions
{
    public static WaveformReadOptions None { get; } = new();

    /// <summary>ADC pedestal subtracted from every sample (overrides the file's 'pedestal').</summary>
    public double? Pedestal { get; init; }
    /// <summary>Amplitude per ADC count after the pedestal is subtracted (overrides the file's 'gain').</summary>
    public double? Gain { get; init; }
    /// <summary>Sampling interval in ns (overrides the file's 'sampling_ns').</summary>
    public double? SamplingNs { get; init; }
    public WaveformArrayNames Names { get; init; } = WaveformArrayNames.Default;
    /// <summary>CSV: names of the leading columns that are not samples (pedestal, gain and sampling_ns are used, others kept aside).</summary>
    public IReadOnlyList<string> CsvColumns { get; init; } = [];
    /// <summary>CSV: the first line is a header even when it is all numbers (pandas writes 0,1,2,... over an unnamed frame).</summary>
    public bool CsvHeader { get; init; }
    /// <summary>Negative pulses (most chambers read them): every amplitude's sign is flipped after pedestal and gain, so pulses point up as the models expect.</summary>
    public bool Invert { get; init; }
    /// <summary>Resample every waveform to the model's sampling interval (<see cref="ModelSamplingNs"/>) when the file's differs, by linear interpolation (<see cref="ResampledSource"/>).</summary>
    public bool Resample { get; init; }
    /// <summary>The sampling interval of the model the data are read for: set by the command once the checkpoint is known (<see cref="ForModel"/>).</summary>
    public double? ModelSamplingNs { get; init; }

    /// <summary>These options for data a model trained at <paramref name="samplingNs"/> reads (what --resample resamples to).</summary>
    public WaveformReadOptions ForModel(double samplingNs) => this with { ModelSamplingNs = samplingNs };

    public WaveformReadOptions Validate()
    {
        if (Pedestal is { } p && !double.IsFinite(p)) throw InputException.At(null, null, "--pedestal", "a finite number of ADC counts", Show(p));
        if (Gain is { } g && !(double.IsFinite(g) && g != 0)) throw InputException.At(null, null, "--gain", "a finite, non-zero amplitude per ADC count", Show(g));
        if (SamplingNs is { } s && !(s > 0 && s <= 1e6)) throw InputException.At(null, null, "--sampling-ns", "a sampling interval in (0, 1e6] ns", Show(s));
        if (CsvColumns.Any(string.IsNullOrWhiteSpace)) throw InputException.At(null, null, "--csv-columns", "comma-separated column names", "an empty name");
        return this;
    }

    private static string Show(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
