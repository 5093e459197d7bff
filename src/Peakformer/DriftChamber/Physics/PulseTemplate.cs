namespace Peakformer.DriftChamber.Physics;

/// <summary>
/// A <see cref="PulseShape"/> sampled at the digitiser's rate for <see cref="Phases"/> sub-sample arrival times,
/// so adding an electron to a waveform is one contiguous scaled add of a precomputed row.
/// Row φ holds h(k dt - φ dt / Phases) for k = 0.. (the electron arrives φ/Phases of a sample before sample 0).
/// </summary>
public sealed class PulseTemplate
{
    public const int Phases = 16;
    private readonly float[] _rows;

    public PulseTemplate(PulseShape shape, double samplingNs)
    {
        Shape = shape;
        SamplingNs = samplingNs;
        Length = (int)Math.Ceiling(shape.LengthNs / samplingNs) + 2;
        _rows = new float[Phases * Length];
        for (int phase = 0; phase < Phases; phase++)
            for (int k = 0; k < Length; k++)
                _rows[phase * Length + k] = (float)shape.Value((k + (double)phase / Phases) * samplingNs);
    }

    public PulseShape Shape { get; }
    public double SamplingNs { get; }

    /// <summary>Samples per row.</summary>
    public int Length { get; }

    /// <summary>
    /// Adds amplitude * h(t_k - arrival) to the waveform, t_k = k dt. The first touched sample is the first at or
    /// after the arrival; the arrival's offset within its sample picks the row.
    /// </summary>
    public void Add(Span<float> waveform, double arrivalNs, float amplitude)
    {
        double position = arrivalNs / SamplingNs;
        int first = (int)Math.Ceiling(position);
        double lead = first - position;                       // in [0, 1): how far sample `first` is after arrival
        int phase = (int)Math.Round(lead * Phases);
        if (phase == Phases)
        {
            // Rounds up to a whole sample: the previous sample sits on the arrival.
            phase = 0;
            first -= 1;
        }
        var row = _rows.AsSpan(phase * Length, Length);
        int start = Math.Max(0, first), skip = start - first;
        int count = Math.Min(waveform.Length - start, Length - skip);
        if (count <= 0) return;
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row.Slice(skip, count), amplitude, waveform.Slice(start, count), waveform.Slice(start, count));
    }
}
