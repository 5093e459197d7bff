using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>
/// Waveforms with their true number of primary clusters, as peak tokens (found peaks) or as raw waveforms, the
/// target standardised as (n - mean) / scale. Keeps the number of found peaks of each example for the least-squares
/// baseline.
/// </summary>
public sealed class CountExamples : IExamples
{
    private readonly float[] _inputs;
    private readonly float[] _targets;

    private CountExamples(float[] inputs, int inputSize, float[] targets, int[] clusters, int[]? peaks)
    {
        (_inputs, InputSize, _targets, Clusters, PeakCounts) = (inputs, inputSize, targets, clusters, peaks);
    }

    public int Count => _targets.Length;
    public int InputSize { get; }
    public int TargetSize => 1;
    /// <summary>True primary clusters of each example.</summary>
    public int[] Clusters { get; }
    /// <summary>Found peaks of each example (null for waveform inputs).</summary>
    public int[]? PeakCounts { get; }

    /// <summary>The events' inputs: peak tokens when a source is given, else the waveforms.</summary>
    public static CountExamples Build(WaveformDataset data, int[] events, PeakSource? source, double mean, double scale, Progress.IProgressReporter progress)
    {
        data.RequireTruth("cluster-count training");
        var clusters = events.Select(e => (int)data.Clusters[e]).ToArray();
        var targets = clusters.Select(n => (float)((n - mean) / scale)).ToArray();
        if (source is null) return new CountExamples(data.ReadWaveforms(events), data.Samples, targets, clusters, null);
        var tokens = new float[events.Length * PeakTokens.InputSize];
        var peaks = new int[events.Length];
        using var task = progress.Start($"finding peaks with {source.Name}", events.Length, "waveforms");
        const int chunk = 256;
        for (int start = 0; start < events.Length; start += chunk)
        {
            int n = Math.Min(chunk, events.Length - start);
            var batch = WaveformBatch.Read(data, events[start..(start + n)]);
            var found = source.Find(batch);
            for (int i = 0; i < n; i++)
            {
                peaks[start + i] = found[i].Samples.Length;
                PeakTokens.Build(batch.Waveform(i), found[i], data.SamplingNs, tokens.AsSpan((start + i) * PeakTokens.InputSize, PeakTokens.InputSize));
            }
            task.Advance(n);
        }
        return new CountExamples(tokens, PeakTokens.InputSize, targets, clusters, peaks);
    }

    public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            _inputs.AsSpan(indices[i] * InputSize, InputSize).CopyTo(inputs.Slice(i * InputSize, InputSize));
            targets[i] = _targets[indices[i]];
        }
    }
}
