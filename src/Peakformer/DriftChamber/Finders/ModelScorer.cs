using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// Runs a peak model over whole waveforms. Window models score every candidate window; the per-bin model gives a
/// probability for each bin, whose local maxima are its candidates. Either way the result is, per waveform, the
/// scored peaks (see <see cref="ScoredPeaks"/>) and the score of every window candidate (for ROC curves).
/// </summary>
public sealed class ModelScorer(IPeakModel model, PeakModelInfo info, int minSeparation = Physics.DriftChamberConstants.MinSeparationSamples)
{
    /// <summary>The kind's display name ("window transformer"); a report that holds two of one kind adds file names (see <see cref="Learning.Models.ModelLabels"/>).</summary>
    public string Name { get; } = ModelKinds.All.Find(model.Kind)?.DisplayName ?? model.Kind;

    public IPeakModel Model => model;
    public PeakModelInfo Info => info;

    /// <summary>
    /// Windows per forward pass. A pass's activations live on the tape, so this bounds the memory of scoring (about
    /// 60 MB for the default window transformer) whatever the number of candidates.
    /// </summary>
    public const int WindowBatch = 512;

    /// <summary>One tape for every call: its arena is allocated once and reused, so memory stays flat over a long input.</summary>
    private readonly Tape _tape = new(gradients: false);

    /// <summary>
    /// Scores count waveforms (count x samples); candidates are the window candidates of each waveform. A NaN or
    /// infinite score is an error naming the waveform (numbered from <paramref name="firstWaveform"/>).
    /// </summary>
    public (ScoredPeaks[] Peaks, float[][] CandidateScores) Score(ReadOnlySpan<float> waveforms, int count, int samples, IReadOnlyList<int[]> candidates,
        int firstWaveform = 0)
    {
        model.Module.Eval();
        return model.Task == PeakTask.PerBin ? PerBin(waveforms, count, samples, candidates, firstWaveform) : Windows(waveforms, count, samples, candidates, firstWaveform);
    }

    private (ScoredPeaks[], float[][]) Windows(ReadOnlySpan<float> waveforms, int count, int samples, IReadOnlyList<int[]> candidates, int firstWaveform)
    {
        var o = info.Windows;
        if (o.Length != model.WindowLength)
            throw new InputException($"{Name}: checkpoint windows of {o.Length} samples, the model expects {model.WindowLength}");
        var tape = _tape;
        var peaks = new ScoredPeaks[count];
        var scores = new float[count][];
        const int batch = WindowBatch;
        var rows = new List<(int Wave, int Index)>();
        var buffer = new float[batch * o.Length];
        for (int w = 0; w < count; w++) scores[w] = new float[candidates[w].Length];
        for (int w = 0; w < count; w++)
            for (int k = 0; k < candidates[w].Length; k++) rows.Add((w, k));
        for (int start = 0; start < rows.Count; start += batch)
        {
            int n = Math.Min(batch, rows.Count - start);
            for (int r = 0; r < n; r++)
            {
                var (w, k) = rows[start + r];
                WindowCutter.Cut(waveforms.Slice(w * samples, samples), candidates[w][k], o, buffer.AsSpan(r * o.Length, o.Length));
            }
            tape.Reset();
            var logits = Forward(tape, tape.From(buffer.AsSpan(0, n * o.Length), new Shape(n, o.Length)), $"waveforms from {firstWaveform + rows[start].Wave}");
            if (FiniteScan.IndexOfNonFinite(logits.Data) is var bad and >= 0)
            {
                var (w, k) = rows[start + bad];
                throw NonFinite(logits.Data[bad], $"waveform {firstWaveform + w} candidate at sample {candidates[w][k]}");
            }
            for (int r = 0; r < n; r++)
            {
                var (w, k) = rows[start + r];
                scores[w][k] = Logistic.Sigmoid(logits.Data[r]);
            }
        }
        for (int w = 0; w < count; w++) peaks[w] = ScoredPeaks.Suppress(candidates[w], scores[w], minSeparation);
        return (peaks, scores);
    }

    private (ScoredPeaks[], float[][]) PerBin(ReadOnlySpan<float> waveforms, int count, int samples, IReadOnlyList<int[]> candidates, int firstWaveform)
    {
        var tape = _tape;
        var peaks = new ScoredPeaks[count];
        var scores = new float[count][];
        // The per-bin transformer's 1,200 tokens per record fill the multiplies at 8 records; the patch transformer's 50 need more.
        int batch = model is PatchTransformer ? PerBinFinder.DefaultBatch : 8;
        var p = new float[samples];
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            tape.Reset();
            var logits = Forward(tape, tape.From(waveforms.Slice(start * samples, n * samples), new Shape(n, samples)), $"waveforms from {firstWaveform + start}");
            if (FiniteScan.IndexOfNonFinite(logits.Data) is var bad and >= 0)
                throw NonFinite(logits.Data[bad], $"waveform {firstWaveform + start + bad / samples} sample {bad % samples}");
            for (int i = 0; i < n; i++)
            {
                int w = start + i;
                for (int t = 0; t < samples; t++) p[t] = Logistic.Sigmoid(logits.Data[i * samples + t]);
                scores[w] = candidates[w].Select(t => p[t]).ToArray();
                var maxima = new List<int>();
                for (int t = 1; t < samples - 1; t++) if (p[t] >= p[t - 1] && p[t] > p[t + 1]) maxima.Add(t);
                peaks[w] = ScoredPeaks.Suppress(maxima, maxima.Select(t => p[t]).ToArray(), minSeparation);
            }
        }
        return (peaks, scores);
    }

    /// <summary>The model's forward pass; a checked-mode (PEAKFORMER_CHECK_FINITE) failure becomes a one-line error saying where.</summary>
    private Tensor Forward(Tape tape, Tensor input, string where)
    {
        try
        {
            return model.Forward(tape, input);
        }
        catch (NonFiniteException e)
        {
            throw new InputException($"{Name}: {e.Message.TrimEnd('.')} scoring {where}");
        }
    }

    /// <summary>Finite inputs and weights can still overflow inside the model (a sample of 3e38): refuse, never score NaN.</summary>
    private InputException NonFinite(float logit, string where) =>
        new($"{Name}: the score of {where} is {Finite.Describe(logit)} (input values too large for the model?)");
}
