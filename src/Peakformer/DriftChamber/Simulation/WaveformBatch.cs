using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// A block of waveforms in memory with what counting needs of their truth: the waveforms (Count x Samples), the
/// sorted truth electron peak samples and primary cluster counts (when known), each cell's track length and
/// momentum, and the time the track crossed the cell (the trigger time, from which drift times are measured).
/// Read from a dataset file or taken straight from the simulator, so counting works the same on both.
/// </summary>
public sealed class WaveformBatch
{
    public required float[] Waveforms { get; init; }
    public required int Count { get; init; }
    public required int Samples { get; init; }
    public required double SamplingNs { get; init; }
    /// <summary>When the track crossed the cell, in ns from the start of the record.</summary>
    public double CrossingNs { get; init; }
    /// <summary>Truth electron peak samples of each waveform, ascending (as <c>WaveformDataset.TruthPeaks</c>); null without truth.</summary>
    public int[][]? TruthPeaks { get; init; }
    /// <summary>True primary clusters of each waveform; null without truth.</summary>
    public int[]? Clusters { get; init; }
    public double[] TrackLengthCm { get; init; } = [];
    public double[] MomentumGeV { get; init; } = [];
    public Particle[] Particles { get; init; } = [];

    public ReadOnlySpan<float> Waveform(int i) => Waveforms.AsSpan(i * Samples, Samples);

    /// <summary>The given events of a dataset.</summary>
    public static WaveformBatch Read(WaveformDataset data, IReadOnlyList<int> events)
    {
        int[][]? peaks = data.HasTruth ? events.Select(data.TruthPeaks).ToArray() : null;
        return new WaveformBatch
        {
            Waveforms = data.ReadWaveforms(events),
            Count = events.Count,
            Samples = data.Samples,
            SamplingNs = data.SamplingNs,
            CrossingNs = data.CrossingNs,
            TruthPeaks = peaks,
            Clusters = data.HasTruth ? events.Select(e => (int)data.Clusters[e]).ToArray() : null,
            TrackLengthCm = events.Select(e => data.TrackLengthCm[e]).ToArray(),
            MomentumGeV = events.Select(e => data.MomentumGeV[e]).ToArray(),
            Particles = events.Select(e => DriftChamber.Physics.Particles.Of(data, e)).ToArray(),
        };
    }

    /// <summary>
    /// Waveforms [start, start + count) of any source without reading truth (truth-free counting): no truth peaks or
    /// clusters; the crossing time is the .npz config's trigger time, else 0 (drift measured from the record's start).
    /// A <paramref name="reuse"/> array of exactly count x samples floats receives the waveforms instead of a new one:
    /// a chunked loop that passes the same array keeps the large-object heap from growing with the input.
    /// </summary>
    public static WaveformBatch WithoutTruth(WaveformDataset data, int start, int count, float[]? reuse = null) => new()
    {
        Waveforms = ReadInto(data, start, count, reuse),
        Count = count,
        Samples = data.Samples,
        SamplingNs = data.SamplingNs,
        CrossingNs = data.CrossingNs,
    };

    /// <summary>Events [start, start + count) of a dataset.</summary>
    public static WaveformBatch Read(WaveformDataset data, int start, int count) => Read(data, Enumerable.Range(start, count).ToArray());

    /// <summary>A chunk straight from the simulator (copied: the simulator reuses its buffers).</summary>
    public static WaveformBatch FromSimulation(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events, SimulationConfig config) => new()
    {
        Waveforms = waveforms.ToArray(),
        Count = events.Count,
        Samples = config.Samples,
        SamplingNs = config.SamplingNs,
        CrossingNs = config.TriggerOffsetNs,
        TruthPeaks = events.Select(e => e.Electrons.Select(x => x.PeakSample).Order().ToArray()).ToArray(),
        Clusters = events.Select(e => e.Clusters).ToArray(),
        TrackLengthCm = events.Select(e => e.TrackLengthCm).ToArray(),
        MomentumGeV = events.Select(e => e.MomentumGeV).ToArray(),
        Particles = events.Select(e => e.Particle).ToArray(),
    };

    /// <summary>Waveforms [start, start + count) of the data, into <paramref name="reuse"/> when it holds exactly count x samples floats.</summary>
    public static float[] ReadInto(WaveformDataset data, int start, int count, float[]? reuse)
    {
        if (reuse is null || reuse.LongLength != (long)count * data.Samples) return data.ReadWaveforms(start, count);
        data.ReadWaveforms(start, count, reuse.AsSpan());
        return reuse;
    }
}
