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
    private readonly int _minSeparation;
    private float[] _p = [];
    private int[] _samples = [];
    private float[] _scores = [];
    private int[] _order = [];
    private bool[] _kept = [];
    private bool[] _taken = [];

    public PerBinFinder(IPeakModel model, double threshold, int batch = DefaultBatch, int minSeparation = Physics.DriftChamberConstants.MinSeparationSamples)
    {
        if (model.Task != PeakTask.PerBin) throw new ArgumentException($"PerBinFinder: {model.Kind} scores windows, not bins", nameof(model));
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"PerBinFinder: batch must be positive, got {batch}");
        _model = model;
        _threshold = threshold;
        _minSeparation = minSeparation;
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
                _order[m] = m;
                m++;
            }
        // Strongest first, the earlier sample on a tie (as ScoredPeaks.Suppress); keep a maximum unless a kept one is too close.
        SortStrongestFirst(_order.AsSpan(0, m));
        var taken = _taken.AsSpan(0, l);
        var kept = _kept.AsSpan(0, m);
        kept.Clear();
        foreach (int i in _order.AsSpan(0, m))
        {
            int s = _samples[i];
            if (taken[Math.Max(0, s - _minSeparation)..Math.Min(l, s + _minSeparation + 1)].Contains(true)) continue;
            taken[s] = true;
            kept[i] = true;
        }
        for (int i = 0; i < m; i++) taken[_samples[i]] = false;
        found.Add(_samples.AsSpan(0, m), _scores.AsSpan(0, m), kept);
    }

    private void Grow(int samples)
    {
        if (_p.Length >= samples) return;
        _p = new float[samples];
        _samples = new int[samples];
        _scores = new float[samples];
        _order = new int[samples];
        _kept = new bool[samples];
        _taken = new bool[samples];
    }

    /// <summary>
    /// Insertion sort by score, descending, then sample, ascending: a few dozen maxima per waveform, and no comparer
    /// (Span.Sort with one boxes it and allocates a delegate on every call).
    /// </summary>
    private void SortStrongestFirst(Span<int> order)
    {
        for (int i = 1; i < order.Length; i++)
        {
            int x = order[i], j = i - 1;
            while (j >= 0 && Before(x, order[j]))
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    private bool Before(int a, int b) => _scores[a] != _scores[b] ? _scores[a] > _scores[b] : _samples[a] < _samples[b];
}
