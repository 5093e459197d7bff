using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// Peaks of whole waveforms from a per-bin model (per-bin or patch transformer) at one decision threshold, in batches
/// of <see cref="Batch"/> waveforms, allocating nothing per batch after the first (one tape, buffers that only grow).
/// The peaks are those of <see cref="ModelScorer"/> followed by <see cref="ScoredPeaks.Above"/>: local maxima of the
/// probabilities, a weaker maximum within the minimum separation of a stronger one suppressed. Suppressing only the
/// maxima at or above the threshold gives the same peaks, since a maximum below it never outranks one above it.
/// </summary>
public sealed class PerBinFinder
{
    /// <summary>Waveforms per forward pass: enough rows for the matrix multiplies to run at speed, a few MB of activations.</summary>
    public const int DefaultBatch = 64;

    private readonly IPeakModel _model;
    private readonly Tape _tape = new(gradients: false);
    private readonly double _threshold; // compared as double, as ScoredPeaks.Above does, so both keep the same peaks at every threshold
    private readonly PeakSuppression _suppression;
    private float[] _p = [];
    private int[] _samples = [];
    private float[] _scores = [];

    public PerBinFinder(IPeakModel model, double threshold, int batch = DefaultBatch, int minSeparation = Physics.DriftChamberConstants.MinSeparationSamples)
    {
        if (model.Task != PeakTask.PerBin) throw new ArgumentException($"PerBinFinder: {model.Kind} scores windows, not bins", nameof(model));
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"PerBinFinder: batch must be positive, got {batch}");
        _model = model;
        _threshold = threshold;
        _suppression = new PeakSuppression(minSeparation);
        Batch = batch;
    }

    public int Batch { get; }

    /// <summary>Replaces the contents of <paramref name="found"/> by the peaks of count waveforms (count x samples, row-major).</summary>
    public void Find(ReadOnlySpan<float> waveforms, int count, int samples, PeakList found, int firstWaveform = 0)
    {
        _model.Module.Eval();
        found.Clear();
        for (int start = 0; start < count; start += Batch)
        {
            int n = Math.Min(Batch, count - start);
            _tape.Reset();
            var logits = _model.Forward(_tape, _tape.From(waveforms.Slice(start * samples, n * samples), new Shape(n, samples))).Data;
            if (FiniteScan.IndexOfNonFinite(logits) is var bad and >= 0)
                throw new InputException($"{_model.Kind}: the score of waveform {firstWaveform + start + bad / samples} sample {bad % samples} is {Finite.Describe(logits[bad])} (input values too large for the model?)");
            for (int i = 0; i < n; i++) Peaks(logits.Slice(i * samples, samples), found);
        }
    }

    /// <summary>Appends to <paramref name="found"/> the peaks of one waveform's per-bin logits (from this model or from its exported graph).</summary>
    public void Peaks(ReadOnlySpan<float> logits, PeakList found)
    {
        int l = logits.Length;
        Grow(l);
        var p = _p.AsSpan(0, l);
        for (int t = 0; t < l; t++) p[t] = Logistic.Sigmoid(logits[t]);
        int m = 0;
        for (int t = 1; t < l - 1; t++)
            if (p[t] >= _threshold && p[t] >= p[t - 1] && p[t] > p[t + 1])
            {
                _samples[m] = t;
                _scores[m] = p[t];
                m++;
            }
        _suppression.Add(_samples.AsSpan(0, m), _scores.AsSpan(0, m), l, found);
    }

    private void Grow(int samples)
    {
        if (_p.Length >= samples) return;
        _p = new float[samples];
        _samples = new int[samples];
        _scores = new float[samples];
    }
}
