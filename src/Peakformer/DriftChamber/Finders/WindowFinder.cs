using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// Peaks of whole waveforms from a window model (window transformer, LSTM) at one decision threshold. The candidates
/// of every waveform of a call (<see cref="CandidateFinder"/>) that pass the <see cref="PreCut"/> are cut into
/// windows (<see cref="WindowCutter"/>) and scored in forward passes of up to <see cref="Batch"/> windows filled across
/// waveforms; allocates nothing per call after the first (one tape, buffers that only grow). The peaks are those of
/// <see cref="ModelScorer"/> on the candidates kept, followed by <see cref="ScoredPeaks.Above"/>.
/// </summary>
public sealed class WindowFinder
{
    private readonly IPeakModel _model;
    private readonly WindowOptions _windows;
    private readonly PreCut _preCut;
    private readonly Tape _tape = new(gradients: false);
    private readonly double _threshold; // compared as double, as ScoredPeaks.Above does
    private readonly PeakSuppression _suppression;
    private int[] _candidates = [];
    private int[] _ends = [];
    private float[] _scores = [];
    private float[] _buffer = [];
    private int[] _kept = [];
    private float[] _keptScores = [];

    public WindowFinder(IPeakModel model, PeakModelInfo info, PreCut preCut, int batch = ModelScorer.WindowBatch,
        int minSeparation = Physics.DriftChamberConstants.MinSeparationSamples)
    {
        if (model.Task != PeakTask.Window) throw new ArgumentException($"WindowFinder: {model.Kind} scores bins, not windows", nameof(model));
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"WindowFinder: batch must be positive, got {batch}");
        if (info.Windows.Length != model.WindowLength)
            throw new InputException($"{model.Kind}: checkpoint windows of {info.Windows.Length} samples, the model expects {model.WindowLength}");
        preCut.Validate();
        _model = model;
        _windows = info.Windows;
        _preCut = preCut;
        _threshold = info.Threshold;
        _suppression = new PeakSuppression(minSeparation);
        Batch = batch;
    }

    /// <summary>Windows per forward pass.</summary>
    public int Batch { get; }

    /// <summary>Windows scored by the last call (after the pre-cut).</summary>
    public int Scored { get; private set; }

    /// <summary>Replaces the contents of <paramref name="found"/> by the peaks of count waveforms (count x samples, row-major).</summary>
    public void Find(ReadOnlySpan<float> waveforms, int count, int samples, PeakList found, int firstWaveform = 0)
    {
        _model.Module.Eval();
        found.Clear();
        var o = _windows;
        Grow(count, samples);
        int total = 0;
        for (int w = 0; w < count; w++)
        {
            var waveform = waveforms.Slice(w * samples, samples);
            var room = _candidates.AsSpan(total, samples);
            total += _preCut.Apply(waveform, room[..CandidateFinder.Find(waveform, o.Before, o.After, room)]);
            _ends[w] = total;
        }
        Scored = total;
        // Windows in order of (waveform, candidate), Batch at a time whatever waveform they come from.
        int wave = 0;
        for (int start = 0; start < total; start += Batch)
        {
            int n = Math.Min(Batch, total - start);
            for (int r = start; r < start + n; r++)
            {
                while (_ends[wave] <= r) wave++;
                WindowCutter.Cut(waveforms.Slice(wave * samples, samples), _candidates[r], o, _buffer.AsSpan((r - start) * o.Length, o.Length));
            }
            _tape.Reset();
            var logits = _model.Forward(_tape, _tape.From(_buffer.AsSpan(0, n * o.Length), new Shape(n, o.Length))).Data;
            if (FiniteScan.IndexOfNonFinite(logits) is var bad and >= 0)
            {
                int w = 0;
                while (_ends[w] <= start + bad) w++;
                throw new InputException($"{_model.Kind}: the score of waveform {firstWaveform + w} candidate at sample {_candidates[start + bad]} is {Finite.Describe(logits[bad])} (input values too large for the model?)");
            }
            for (int r = 0; r < n; r++) _scores[start + r] = Logistic.Sigmoid(logits[r]);
        }
        for (int w = 0, from = 0; w < count; from = _ends[w], w++)
        {
            int m = 0;
            for (int i = from; i < _ends[w]; i++)
                if (_scores[i] >= _threshold)
                {
                    _kept[m] = _candidates[i];
                    _keptScores[m++] = _scores[i];
                }
            _suppression.Add(_kept.AsSpan(0, m), _keptScores.AsSpan(0, m), samples, found);
        }
    }

    private void Grow(int count, int samples)
    {
        if (_candidates.Length < count * samples)
        {
            _candidates = new int[count * samples];
            _scores = new float[count * samples];
        }
        if (_ends.Length < count) _ends = new int[count];
        if (_kept.Length < samples)
        {
            _kept = new int[samples];
            _keptScores = new float[samples];
        }
        if (_buffer.Length < Batch * _windows.Length) _buffer = new float[Batch * _windows.Length];
    }
}
