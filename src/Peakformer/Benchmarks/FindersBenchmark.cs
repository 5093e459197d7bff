using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;
using Peakformer.Evaluation;
using Peakformer.Learning.Models;
using Peakformer.Progress;

namespace Peakformer.Benchmarks;

/// <summary>
/// <c>bench --suite finders</c>: every peak finder over the same held-out waveforms, in waveforms/s at each thread count
/// beside its peak-finding F1 on those waveforms, so speed and quality are read together. A finder's time is all
/// of its work from waveforms to peaks: candidates, windows, forward passes, local maxima and suppression. Window
/// models run through <see cref="WindowFinder"/> (64 waveforms per call, candidates pre-cut at the settings' K, see
/// <see cref="PreCut"/>, windows batched across the call's waveforms), per-bin models through
/// <see cref="PerBinFinder"/> (the per-bin transformer at its scoring batch of 8, the patch transformer at 64); ONNX
/// Runtime runs each exported graph with the same pre- and post-processing. The one-step counter counts clusters,
/// finds no peaks: its line has a rate and no F1.
/// </summary>
public static class FindersBenchmark
{
    /// <summary>The model kinds of the suite, in the order of the table.</summary>
    public static IReadOnlyList<ModelKind> ModelKinds { get; } =
    [
        DriftChamberModels.WindowTransformer, DriftChamberModels.WindowLstm, DriftChamberModels.PerBinTransformer,
        DriftChamberModels.PatchTransformer, DriftChamberModels.OneStepCounter,
    ];

    /// <summary>Waveforms per call of a window model or a classical finder (evaluate's chunk).</summary>
    public const int Chunk = 64;

    /// <summary>
    /// One finder: <see cref="Run"/>(start, n, peaks) finds the peaks of waveforms [start, start + n) and, when asked
    /// (the F1 pass, untimed), returns them; a counter returns null.
    /// </summary>
    private sealed record Line(string Name, string Runtime, int Batch, Func<int, int, bool, IEnumerable<int[]>?> Run, string? Note, bool FindsPeaks = true) : IDisposable
    {
        public IDisposable? Owned { get; init; }
        public void Dispose() => Owned?.Dispose();
    }

    public static void Run(EngineBenchmarkSettings s, FindersBenchmarkSettings f, EngineBenchmarkReport report, IProgressReporter progress)
    {
        f.Validate();
        using var data = WaveformDataset.Open(f.DataPath);
        data.RequireTruth("bench --suite finders");
        int count = f.MaxWaveforms > 0 ? Math.Min(f.MaxWaveforms, data.Count) : data.Count, samples = data.Samples;
        var waveforms = data.ReadWaveforms(0, count);
        var truth = Enumerable.Range(0, count).Select(data.TruthPeaks).ToArray();
        progress.Note($"finders: {count:N0} waveforms of {samples} samples from {f.DataPath}; classical thresholds {(f.TuneDataPath is null ? "typical (no --tune-data)" : $"tuned on {f.TuneDataPath}")}");
        bool Wanted(string name) => f.Only is null || f.Only.Contains(name);
        var classical = new[] { "deriv", "d2" }.Where(Wanted).Select(n => ClassicalTuning.ForData(n, f.TuneDataPath, f.TuneEvents, f.ToleranceSamples, data.SamplingNs).Finder).ToList();
        var preCut = PreCut.At(f.PreCut, data.SamplingNs);
        if (Wanted(DriftChamberModels.WindowTransformer.Name) || Wanted(DriftChamberModels.WindowLstm.Name)) progress.Note($"window models: candidates pre-cut at {f.PreCut} noise rms above baseline ({PreCutShare(waveforms, count, samples, preCut, truth, f.ToleranceSamples)})");
        var models = ModelKinds.Where(k => Wanted(k.Name)).Select(kind => Load(kind, f)).ToList();
        foreach (var m in models.Where(m => m.Note is not null)) progress.Note($"{m.Kind.DisplayName}: {m.Note}");
        var quality = new Dictionary<(string, string), PeakScore?>();
        int previous = WorkerPool.Shared.Threads;
        try
        {
            foreach (int threads in s.Threads)
            {
                WorkerPool.SetSharedThreads(threads);
                var lines = new List<Line>();
                try
                {
                    foreach (var finder in classical)
                        lines.Add(new Line(finder.Name, "Peakformer", Chunk, (start, n, _) => finder.Find(waveforms.AsSpan(start * samples, n * samples), n, samples), null));
                    foreach (var m in models) lines.AddRange(ModelLines(m, waveforms, samples, threads, f.OnnxRuntime, preCut));
                    foreach (var line in lines)
                    {
                        if (line.FindsPeaks && !quality.ContainsKey((line.Name, line.Runtime))) quality[(line.Name, line.Runtime)] = Score(line, count, truth, f, data.SamplingNs, progress);
                        Time(s, line, count, threads, quality.GetValueOrDefault((line.Name, line.Runtime)), report, progress);
                    }
                }
                finally
                {
                    foreach (var line in lines) line.Dispose();
                }
            }
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
    }

    private sealed record Loaded(ModelKind Kind, Learning.Training.ITrainable Model, PeakModelInfo Info, string? Note);

    private static Loaded Load(ModelKind kind, FindersBenchmarkSettings f)
    {
        if (f.Checkpoints.TryGetValue(kind.Name, out string? path))
        {
            if (DriftChamberModels.CountsClusters(kind))
            {
                var (counter, _, _) = CountCheckpoint.Load(path);
                return new Loaded(kind, counter, new PeakModelInfo { Task = kind.Task }, null);
            }
            var (model, info) = PeakCheckpoint.Load(path);
            if (info.Input?.Normalised == true) throw new InputException($"{path}: trained on normalised waveforms; the finders suite times raw waveforms only");
            return new Loaded(kind, model, info, null);
        }
        return new Loaded(kind, kind.Create(null, new Rng(0)), new PeakModelInfo { Task = kind.Task }, "no checkpoint given: timed on untrained weights, no F1");
    }

    private static IEnumerable<Line> ModelLines(Loaded m, float[] waveforms, int samples, int threads, bool onnxRuntime, PreCut preCut)
    {
        string name = m.Kind.DisplayName;
        switch (m.Model)
        {
            case IPeakModel { Task: PeakTask.Window } window:
            {
                var finder = new WindowFinder(window, m.Info, preCut);
                var found = new PeakList();
                yield return new Line(name, "Peakformer", Chunk, (start, n, peaks) =>
                {
                    finder.Find(waveforms.AsSpan(start * samples, n * samples), n, samples, found, start);
                    return peaks ? found.ToArrays() : null;
                }, m.Note);
                if (!onnxRuntime) yield break;
                var onnx = OnnxRuntimePeer.Exported(window, new float[window.WindowLength], [1, window.WindowLength], threads);
                yield return new Line(name, "ONNX Runtime", Chunk, (start, n, _) => OnnxWindows(onnx, m.Info, preCut, waveforms.AsSpan(start * samples, n * samples), n, samples),
                    m.Note) { Owned = onnx };
                break;
            }
            case IPeakModel perBin:
            {
                int batch = m.Kind == DriftChamberModels.PerBinTransformer ? 8 : PerBinFinder.DefaultBatch;
                var finder = new PerBinFinder(perBin, m.Info.Threshold, batch);
                var found = new PeakList();
                yield return new Line(name, "Peakformer", batch, (start, n, peaks) =>
                {
                    finder.Find(waveforms.AsSpan(start * samples, n * samples), n, samples, found, start);
                    return peaks ? found.ToArrays() : null;
                }, m.Note);
                if (!onnxRuntime) yield break;
                var onnx = OnnxRuntimePeer.Exported(perBin, new float[samples], [1, samples], threads);
                var onnxFound = new PeakList();
                yield return new Line(name, "ONNX Runtime", batch, (start, n, peaks) =>
                {
                    var logits = onnx.Run(waveforms.AsSpan(start * samples, n * samples).ToArray(), [n, samples]);
                    onnxFound.Clear();
                    for (int i = 0; i < n; i++) finder.Peaks(logits.AsSpan(i * samples, samples), onnxFound);
                    return peaks ? onnxFound.ToArrays() : null;
                }, m.Note) { Owned = onnx };
                break;
            }
            case ICountModel counter:
            {
                int batch = m.Kind.Recipe.Batch;
                var tape = new Tape(gradients: false);
                counter.Module.Eval();
                yield return new Line(name, "Peakformer", batch, (start, n, _) =>
                {
                    tape.Reset();
                    counter.Forward(tape, tape.From(waveforms.AsSpan(start * samples, n * samples), new Shape(n, samples)));
                    return null;
                }, m.Note, FindsPeaks: false);
                if (!onnxRuntime) yield break;
                var onnx = OnnxRuntimePeer.Exported(counter, new float[samples], [1, samples], threads);
                yield return new Line(name, "ONNX Runtime", batch, (start, n, _) =>
                {
                    onnx.Run(waveforms.AsSpan(start * samples, n * samples).ToArray(), [n, samples]);
                    return null;
                }, m.Note, FindsPeaks: false) { Owned = onnx };
                break;
            }
        }
    }

    /// <summary>A window model's peaks through its exported graph: the same candidates, windows and suppression as <see cref="ModelScorer"/>.</summary>
    private static IEnumerable<int[]> OnnxWindows(OnnxRuntimePeer onnx, PeakModelInfo info, PreCut preCut, ReadOnlySpan<float> waveforms, int count, int samples)
    {
        var o = info.Windows;
        var candidates = preCut.Apply(waveforms, count, samples, CandidateFinder.Find(waveforms, count, samples, o));
        var rows = new List<(int Wave, int Index)>();
        for (int w = 0; w < count; w++)
            for (int k = 0; k < candidates[w].Length; k++) rows.Add((w, k));
        var scores = candidates.Select(c => new float[c.Length]).ToArray();
        var buffer = new float[ModelScorer.WindowBatch * o.Length];
        for (int start = 0; start < rows.Count; start += ModelScorer.WindowBatch)
        {
            int n = Math.Min(ModelScorer.WindowBatch, rows.Count - start);
            for (int r = 0; r < n; r++)
                WindowCutter.Cut(waveforms.Slice(rows[start + r].Wave * samples, samples), candidates[rows[start + r].Wave][rows[start + r].Index], o, buffer.AsSpan(r * o.Length, o.Length));
            var logits = onnx.Run(n == ModelScorer.WindowBatch ? buffer : buffer[..(n * o.Length)], [n, o.Length]);
            for (int r = 0; r < n; r++) scores[rows[start + r].Wave][rows[start + r].Index] = Logistic.Sigmoid(logits[r]);
        }
        return candidates.Select((c, w) => ScoredPeaks.Suppress(c, scores[w], DriftChamber.Physics.DriftChamberConstants.MinSeparationSamples).Above(info.Threshold)).ToArray();
    }

    /// <summary>
    /// What the pre-cut leaves: the share of candidates kept, and its efficiency, the share of truth peaks with a
    /// candidate within tolerance that keep one (a peak without any candidate is lost before the cut).
    /// </summary>
    private static string PreCutShare(float[] waveforms, int count, int samples, PreCut preCut, int[][] truth, int tolerance)
    {
        var o = new WindowOptions();
        var all = CandidateFinder.Find(waveforms, count, samples, o);
        var kept = preCut.Apply(waveforms, count, samples, all);
        long candidates = all.Sum(c => (long)c.Length), scored = kept.Sum(c => (long)c.Length);
        int reachable = 0, reached = 0;
        for (int w = 0; w < count; w++)
            foreach (int p in truth[w].Distinct())
            {
                if (!all[w].Any(t => Math.Abs(t - p) <= tolerance)) continue;
                reachable++;
                if (kept[w].Any(t => Math.Abs(t - p) <= tolerance)) reached++;
            }
        return $"{scored:N0} of {candidates:N0} candidates scored ({(double)scored / candidates:P1}, {(double)scored / count:F0} per waveform); " +
            $"{reached:N0} of {reachable:N0} truth peaks with a candidate keep one ({(double)reached / Math.Max(1, reachable):P2})";
    }

    /// <summary>One pass over the set (not timed) and its peaks against truth; untrained lines get no figure.</summary>
    private static PeakScore? Score(Line line, int count, int[][] truth, FindersBenchmarkSettings f, double samplingNs, IProgressReporter progress)
    {
        if (line.Note is not null) return null;
        using var task = progress.Start($"{line.Name} ({line.Runtime}): peaks of {count:N0} waveforms for F1", count, "waveforms");
        var score = new PeakScore();
        for (int start = 0; start < count; start += line.Batch)
        {
            int n = Math.Min(line.Batch, count - start);
            int w = start;
            foreach (var found in line.Run(start, n, true)!) score.Add(truth[w++], found, f.ToleranceSamples, samplingNs, keepResiduals: false);
            task.Advance(n);
        }
        return score;
    }

    private static void Time(EngineBenchmarkSettings s, Line line, int count, int threads, PeakScore? score, EngineBenchmarkReport report, IProgressReporter progress)
    {
        using var task = progress.Start($"{line.Name} ({line.Runtime}), {threads} thread(s)", s.Rounds, "rounds");
        // Batch after batch through the set, back to its start when the next would run past its end.
        int next = 0, n = Math.Min(line.Batch, count);
        long Batch()
        {
            if (next + n > count) next = 0;
            line.Run(next, n, false);
            next += n;
            return n;
        }
        Batch();
        Batch();
        const int measured = 3;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < measured; i++) Batch();
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)measured;
        var rates = new List<double>();
        for (int round = 0; round < s.Rounds; round++)
        {
            Measure.Settle();
            rates.Add(Measure.Rate(Batch, s.TrialSeconds));
            task.Advance(1, $"{rates[^1]:F0} waveforms/s");
        }
        report.Finders.Add(new FinderFigure(line.Name, line.Runtime, threads, line.Batch, Measure.Median(rates),
            score?.F1, score?.Efficiency, score?.Purity, bytes, line.Note));
    }
}
