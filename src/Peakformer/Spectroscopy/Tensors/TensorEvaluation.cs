using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Progress;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>One tensor model on a held-out set: its figures (<see cref="TensorMetrics"/>) and how it was trained.</summary>
public sealed record TensorModelResult(string Model, float SymmetryPenalty, TensorMetrics Metrics, IReadOnlyList<EpochRecord> History, int BestEpoch);

/// <summary>Every model's result on one set.</summary>
public sealed record TensorEvaluationResult(string Data, string ClassName, double ModeShift, int Examples, IReadOnlyList<TensorModelResult> Models);

/// <summary>
/// Tensor models on a held-out <see cref="TensorSet"/>: each checkpoint must read the set's channels (the same
/// polarisations, in order), shift axis, class and mode, or the run stops with one line saying which differs.
/// </summary>
public static class TensorEvaluation
{
    private const int Batch = 64;

    public static TensorEvaluationResult Run(TensorSet set, string dataPath, IReadOnlyList<string> models, IProgressReporter progress)
    {
        if (models.Count == 0) throw new InputException("--models: expected at least one Raman tensor checkpoint, found none");
        var loaded = models.Select(path => (path, TensorCheckpoint.Load(path))).ToList();
        foreach (var (path, (_, info)) in loaded) Check(path, info, set, dataPath);
        var results = new List<TensorModelResult>();
        foreach (var (path, (model, info)) in loaded)
        {
            var predicted = Predict(model, set, progress, Path.GetFileName(path));
            results.Add(new TensorModelResult(Path.GetFileName(path), info.SymmetryPenalty, TensorMetrics.Of(predicted, set.Tensors), info.History, info.BestEpoch));
        }
        return new TensorEvaluationResult(dataPath, set.ClassName, set.ModeShift, set.Count, results);
    }

    /// <summary>R_hat [N, 9] of every example, in evaluation mode, in batches.</summary>
    public static float[] Predict(TensorCnn model, TensorSet set, IProgressReporter progress, string label)
    {
        model.Eval();
        var tape = new Tape(gradients: false);
        var predicted = new float[set.Count * 9];
        using var task = progress.Start($"{label}: predicting tensors", set.Count, "molecules");
        for (int start = 0; start < set.Count; start += Batch)
        {
            int n = Math.Min(Batch, set.Count - start);
            tape.Reset();
            var x = tape.From(set.Values.AsSpan(start * set.InputSize, n * set.InputSize), new Shape(n, set.InputSize));
            model.Forward(tape, x).Data.CopyTo(predicted.AsSpan(start * 9, n * 9));
            task.Advance(n);
        }
        return predicted;
    }

    private static void Check(string path, TensorModelInfo info, TensorSet set, string dataPath)
    {
        string where = $"{path} against {dataPath}";
        if (!info.ChannelNames.SequenceEqual(set.ChannelNames) || !info.Polarisations.Zip(set.Polarisations).All(p => Math.Abs(p.First - p.Second) < 1e-9))
            throw new InputException($"{where}: channels: expected the polarisations the model was trained on ({string.Join(" ", info.ChannelNames)}), found {string.Join(" ", set.ChannelNames)}");
        if (info.Axis.Length != set.Length || info.Axis.Zip(set.Wavenumbers).Any(p => Math.Abs(p.First - p.Second) > 1e-6 * Math.Max(1, Math.Abs(p.First))))
            throw new InputException($"{where}: wavenumbers: expected the model's axis of {info.Axis.Length} points {info.Axis[0]:G6}..{info.Axis[^1]:G6}, found {set.Length} points {set.Wavenumbers[0]:G6}..{set.Wavenumbers[^1]:G6}");
        if (info.ClassName != set.ClassName || Math.Abs(info.ModeShift - set.ModeShift) > 1e-6)
            throw new InputException($"{where}: mode: expected class {info.ClassName}'s mode at {info.ModeShift:F1} cm^-1, found class {set.ClassName}'s at {set.ModeShift:F1} cm^-1 (simulate with the training set's --class-seed)");
    }
}
