using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// A trained cluster-count model: the count regressor on found peaks (its peak source comes from the checkpoint) or
/// the one-step model on the raw waveform. Outputs are turned back from the standardised scale into clusters.
/// </summary>
public sealed class ModelCounter : ICounter
{
    private readonly ICountModel _model;
    /// <summary>One tape for every batch: its arena is allocated once and reused, so memory stays flat over a long input.</summary>
    private readonly Tape _tape = new(gradients: false);

    public ModelCounter(ICountModel model, CountModelInfo info, PeakSource? source, string path)
    {
        (_model, Info, Source, Path) = (model, info, source, path);
        if (!model.ReadsWaveform && source is null) throw new ArgumentException("a token model needs a peak source", nameof(source));
    }

    public CountModelInfo Info { get; }
    public PeakSource? Source { get; }
    public string Path { get; }
    public string Name => Source is null ? DisplayName : $"{DisplayName} on {Source.Name}";
    public string Kind => "model";
    public string Settings => Path;
    public string? ModelFile => Path;
    private string DisplayName => ModelKinds.All.Find(_model.Kind)?.DisplayName ?? _model.Kind;

    /// <summary>
    /// Loads a count checkpoint and the peak source it was trained on: the peak model it carries, else (checkpoints
    /// written before they carried it) the file it names. <paramref name="sources"/> shares sources so several counters
    /// find the peaks of a batch once.
    /// </summary>
    public static ModelCounter Load(string path, PeakSources? sources = null)
    {
        var (model, info, peakModel) = CountCheckpoint.Load(path);
        PeakSource? source = null;
        if (!model.ReadsWaveform)
        {
            sources ??= new PeakSources(info.SamplingNs, option: $"{path} (peaks_from)");
            if (peakModel is not null)
            {
                var (file, threshold) = Finders.MethodSpec.SplitThreshold(info.PeaksFrom, $"{path} (peaks_from)");
                if (!IsPeakModelFile(file))
                    throw InputException.At(path, null, $"{CountCheckpoint.InfoKey}.peaks_from",
                        "a peak-model checkpoint (MODEL.safetensors or MODEL.safetensors@THRESHOLD), since the file carries a peak model", $"'{info.PeaksFrom}'");
                // Where the carried model came from, as a path (it need not be there): two count checkpoints naming
                // "window.safetensors" in two folders name two files.
                source = sources.Get(peakModel, PeakModelPath(path, file), threshold, info.MinAmplitudeSigma);
            }
            else source = sources.Get(ResolvePeaksFrom(path, info.PeaksFrom), info.MinAmplitudeSigma);
        }
        return new ModelCounter(model, info, source, path);
    }

    /// <summary>
    /// A peak-model path is stored relative to the count checkpoint's folder; other specs as they are. A peak model
    /// that is not there (the count checkpoint was copied alone) is an error saying which file and what to do.
    /// </summary>
    public static string ResolvePeaksFrom(string countCheckpoint, string peaksFrom)
    {
        var (file, threshold) = Finders.MethodSpec.SplitThreshold(peaksFrom, $"{countCheckpoint} (peaks_from)");
        if (!IsPeakModelFile(file)) return peaksFrom;
        string resolved = PeakModelPath(countCheckpoint, file);
        if (!File.Exists(resolved))
            throw new InputException($"{countCheckpoint}: the peak model it reads its peaks from, {resolved} (peaks_from '{peaksFrom}'), is not there: " +
                "put that file back (paths are relative to the count checkpoint's folder), or train the count model again, which then carries its peak model inside");
        if (System.IO.Path.IsPathRooted(file)) return peaksFrom;
        return threshold is null ? resolved : $"{resolved}@{threshold.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>A peaks_from that names a peak-model checkpoint (not truth or a classical finder).</summary>
    private static bool IsPeakModelFile(string file) => file.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>A peak-model path of a count checkpoint's peaks_from, resolved against that checkpoint's folder (path arithmetic only).</summary>
    public static string PeakModelPath(string countCheckpoint, string file) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(countCheckpoint)) ?? ".", file));

    public double[] Count(WaveformBatch batch)
    {
        var counts = new double[batch.Count];
        _model.Module.Eval();
        var tape = _tape;
        if (_model.ReadsWaveform)
        {
            var config = ((OneStepCounter)_model).Config;
            if (batch.Samples != config.Samples)
                throw new InputException($"{Path}: the one-step counter reads waveforms of {config.Samples} samples, these have {batch.Samples}");
            Run(tape, batch.Waveforms, batch.Samples, batch.Count, 8, counts);
            return counts;
        }
        var peaks = Source!.Find(batch);
        var tokens = new float[batch.Count * PeakTokens.InputSize];
        for (int i = 0; i < batch.Count; i++)
            PeakTokens.Build(batch.Waveform(i), peaks[i], batch.SamplingNs, tokens.AsSpan(i * PeakTokens.InputSize, PeakTokens.InputSize));
        Run(tape, tokens, PeakTokens.InputSize, batch.Count, 256, counts);
        return counts;
    }

    private void Run(Tape tape, float[] inputs, int size, int count, int batch, double[] counts)
    {
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            tape.Reset();
            Tensor output;
            try
            {
                output = _model.Forward(tape, tape.From(inputs.AsSpan(start * size, n * size), new Shape(n, size)));
            }
            catch (NonFiniteException e)
            {
                throw new InputException($"{Path}: {e.Message.TrimEnd('.')} counting waveforms from {start} of the batch");
            }
            // Finite inputs and weights can still overflow inside the model: refuse rather than report a NaN count.
            if (FiniteScan.IndexOfNonFinite(output.Data[..n]) is var bad and >= 0)
                throw new InputException($"{Path}: the count of waveform {start + bad} of the batch is {Finite.Describe(output.Data[bad])} (input values too large for the model?)");
            for (int i = 0; i < n; i++) counts[start + i] = output.Data[i] * _model.TargetScale + _model.TargetMean;
        }
    }
}
