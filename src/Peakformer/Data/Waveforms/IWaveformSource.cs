namespace Peakformer.Data.Waveforms;

/// <summary>
/// Waveforms as the model sees them, whatever the file format: Count rows of Samples float32 amplitudes (ADC counts
/// already converted), read in row ranges so memory stays bounded. Commands read through this and never ask the format.
/// </summary>
public interface IWaveformSource : IDisposable
{
    /// <summary>The file, or the pattern/list of files, as the user gave it.</summary>
    string Path { get; }
    int Count { get; }
    int Samples { get; }
    double SamplingNs { get; }
    /// <summary>The unit of the amplitudes as read, for axis labels (<see cref="AmplitudeScale.Unit"/>): ADC counts when integer samples are read unscaled.</summary>
    string AmplitudeUnit { get; }

    /// <summary>Rows [start, start + count) into destination (count x Samples values).</summary>
    void ReadRows(int start, int count, Span<float> destination);

    /// <summary>The file a row came from and its index there (the event number a user can look up in that file).</summary>
    (string File, int Event) Origin(int row);

    /// <summary>How many files the rows come from (outputs add a file column when there is more than one).</summary>
    int Files { get; }

    /// <summary>What the reader assumed or overrode (an option that replaced the file's gain, ADC counts used unscaled...): shown to the user.</summary>
    IReadOnlyList<string> Notes { get; }
}
