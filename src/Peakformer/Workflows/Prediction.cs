using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Files;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;
using Peakformer.Progress;

namespace Peakformer.Workflows;

/// <summary>
/// Applies a trained peak model: to a window CSV (one score per row: EvtNo,Time,ID,Score) or to a dataset's whole
/// waveforms (the peaks found: event,sample,time_ns,score).
/// </summary>
public static class Prediction
{
    public static long ScoreWindows(string modelPath, string csv, string output, IProgressReporter progress)
    {
        var (model, info) = PeakCheckpoint.Load(modelPath);
        if (model.Task != PeakTask.Window)
            throw new InputException($"{modelPath}: a {model.Kind} scores whole waveforms; give it an .npz, not a window CSV");
        var set = WindowCsv.Read(csv);
        if (set.Length != model.WindowLength)
            throw new InputException($"{csv}: windows of {set.Length} samples, the model {modelPath} expects {model.WindowLength}");
        var scores = new float[set.Count];
        var tape = new Tape(gradients: false);
        const int batch = 4096;
        using (var task = progress.Start($"scoring {set.Count:N0} windows", set.Count, "windows"))
            for (int start = 0; start < set.Count; start += batch)
            {
                int n = Math.Min(batch, set.Count - start);
                tape.Reset();
                var x = tape.Empty(new Shape(n, set.Length));
                for (int i = 0; i < n; i++) set.Row(start + i).CopyTo(x.Data.Slice(i * set.Length, set.Length));
                Tensor logits;
                try
                {
                    logits = model.Forward(tape, x);
                }
                catch (NonFiniteException e)
                {
                    throw new InputException($"{csv}: {e.Message.TrimEnd('.')} scoring windows from {start}");
                }
                if (FiniteScan.IndexOfNonFinite(logits.Data) is var bad and >= 0)
                    throw new InputException($"{csv}: the score of window {start + bad} (event {set.Event[start + bad]}) is {Finite.Describe(logits.Data[bad])} (input values too large for the model?)");
                for (int i = 0; i < n; i++) scores[start + i] = Logistic.Sigmoid(logits.Data[i]);
                task.Advance(n);
            }
        AtomicFile.Write(output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false));
            w.Write("EvtNo,Time,ID,Score\n");
            for (int i = 0; i < set.Count; i++)
                w.Write($"{set.Event[i]},{set.Time[i]},{set.Label[i]},{scores[i].ToString("R", CultureInfo.InvariantCulture)}\n");
        });
        return set.Count;
    }

    public static long FindPeaks(string modelPath, string dataPath, string output, double? threshold, IProgressReporter progress)
        => FindPeaks(modelPath, dataPath, WaveformReadOptions.None, output, threshold, progress);

    /// <summary>
    /// Peaks in every waveform of any readable format, list or pattern. With several files each row starts with the
    /// file it came from (event is then the index within that file). With <paramref name="normalise"/> each waveform
    /// is first baseline-subtracted and scaled to the noise the model was trained on (<see cref="DriftChamber.Inputs.AmplitudeNormalisation"/>);
    /// a checkpoint trained on normalised waveforms is normalised without asking (<see cref="DriftChamber.Inputs.InputNormalisation"/>).
    /// </summary>
    /// <param name="shard">With --shard, this shard's rows, cut at whole chunks (a chunk's flat waveforms share its median noise when normalised).</param>
    /// <param name="preCut">Window models: score only candidates this many noise rms above the baseline, batched across
    /// waveforms (<see cref="WindowFinder"/>); 0 scores every candidate.</param>
    public static long FindPeaks(string modelPath, string dataPath, WaveformReadOptions read, string output, double? threshold, IProgressReporter progress,
        bool normalise = false, Sharding.Shard? shard = null, double preCut = 0)
    {
        var (model, info) = PeakCheckpoint.Load(modelPath);
        if (preCut != 0 && model.Task != PeakTask.Window)
            throw InputException.At(null, null, "--pre-cut", "a window model (window transformer, LSTM); a whole-waveform model scores every sample", modelPath);
        double cut = threshold ?? info.Threshold;
        using var data = WaveformDataset.Open(dataPath, read.ForModel(info.SamplingNs));
        foreach (string note in data.Notes) progress.Note(note);
        var normalisation = DriftChamber.Inputs.InputNormalisation.Decide(normalise, info.Input, modelPath, progress);
        DriftChamber.Inputs.InputCheck.Run(data, info.Input, info.SamplingNs, modelPath, progress, normalisation is not null);
        bool files = data.Files > 1;
        var scorer = new ModelScorer(model, info);
        var perBin = model.Task == PeakTask.PerBin ? new PerBinFinder(model, cut) : null;
        var window = preCut > 0 ? new WindowFinder(model, info with { Threshold = cut }, PreCut.At(preCut, data.SamplingNs)) : null;
        long peaks = 0;
        const int chunk = 64;
        AtomicFile.Write(output, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            var rows = new PeakRows(w, files, data.SamplingNs);
            rows.Header();
            var (first, end) = Sharding.Shard.RangeOf(shard, data.Count, chunk);
            using var task = progress.Start($"finding peaks in {end - first:N0} waveforms", end - first, "waveforms");
            int size = (int)Math.Min(chunk, end - first) * data.Samples;
            int chunks = (int)((end - first + chunk - 1) / chunk);
            int Start(int c) => (int)first + c * chunk;
            int Length(int c) => (int)Math.Min(chunk, end - Start(c));
            // Reading the next chunk and writing the last overlap the model's work on this one; a few slots bound memory.
            ChunkPipeline.Run(chunks, [new float[size], new float[size], new float[size]], [new PeakList(), new PeakList(), new PeakList()],
                read: (c, waveforms) =>
                {
                    var span = waveforms.AsSpan(0, Length(c) * data.Samples);
                    data.ReadWaveforms(Start(c), Length(c), span);
                    normalisation?.Apply(span, data.Samples, data.SamplingNs);
                },
                work: (c, waveforms, found) =>
                {
                    int start = Start(c), n = Length(c);
                    var span = waveforms.AsSpan(0, n * data.Samples);
                    if (perBin is not null)
                        // Whole-waveform models: batched and allocation-free, the scorer's peaks above the cut (PerBinFinder).
                        perBin.Find(span, n, data.Samples, found, start);
                    else if (window is not null)
                        window.Find(span, n, data.Samples, found, start);
                    else
                    {
                        var candidates = CandidateFinder.Find(span, n, data.Samples, info.Windows);
                        var (scored, _) = scorer.Score(span, n, data.Samples, candidates, start);
                        found.Clear();
                        foreach (var one in scored) found.Add(one.Samples, one.Scores, cut);
                    }
                    task.Advance(n);
                },
                write: (c, found) =>
                {
                    for (int i = 0; i < found.Count; i++)
                    {
                        var (file, evt) = data.Origin(Start(c) + i);
                        var samples = found[i];
                        var scores = found.ScoresOf(i);
                        for (int k = 0; k < samples.Length; k++) rows.Write(file, evt, samples[k], scores[k]);
                    }
                });
            peaks = rows.Count;
        });
        if (normalisation?.FlatWarning(data.Path, chunk) is { } warning) progress.Note(warning);
        return peaks;
    }
}
