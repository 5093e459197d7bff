using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Evaluation;
using Peakformer.Progress;

namespace Peakformer.Training;

/// <summary>
/// Trains a binary peak model with BCE on logits: seeded shuffles (epoch e uses stream (seed, e)), AdamW or Adam,
/// an optional schedule and gradient clipping, validation AUC after every epoch, early stopping on it, and a
/// checkpoint written each time validation AUC improves while at or above the keep threshold.
/// </summary>
public static class Trainer
{
    /// <param name="saveBest">Called when the current weights are the best so far and good enough to keep.</param>
    /// <param name="statePath">Checkpoint path whose ".state" sidecar is written after every epoch (and read on resume).</param>
    public static TrainingResult Train(IPeakModel model, IExamples train, IExamples validation, TrainingSettings s, IProgressReporter progress,
        Action<TrainingResult> saveBest, string? statePath = null, bool resume = false)
    {
        s.Validate();
        if (train.Count == 0 || validation.Count == 0)
            throw new InputException($"training needs examples in both splits, found {train.Count} for training and {validation.Count} for validation");
        var parameters = new ParameterSet(model.Module);
        Optimizer optimizer = s.Optimizer == "adam"
            ? new Adam(parameters, s.LearningRate, weightDecay: s.WeightDecay)
            : new AdamW(parameters, s.LearningRate, weightDecay: s.WeightDecay);
        ILearningRateSchedule? schedule = s.Schedule switch
        {
            "cosine" => new CosineAnnealing(optimizer, s.Epochs, s.LearningRate / 100),
            "plateau" => new ReduceLROnPlateau(optimizer, maximise: true, factor: 0.5f, patience: Math.Max(1, s.Patience / 3), minLearningRate: s.LearningRate / 100),
            _ => null,
        };
        var state = new TrainState(0, 0, s.LearningRate, 0, double.NegativeInfinity, 0, false, []);
        if (resume)
        {
            if (statePath is null) throw new InputException("--resume needs the checkpoint path given with --out");
            state = TrainState.Load(statePath, model.Module, optimizer);
            foreach (var past in state.History) schedule?.Step(past.ValidationAuc);
            optimizer.LearningRate = state.LearningRate;
            progress.Note($"resuming after epoch {state.Epoch} (best validation AUC {state.BestAuc:F4} at epoch {state.BestEpoch})");
        }
        var history = state.History;
        int bestEpoch = state.BestEpoch, stale = state.EpochsWithoutImprovement;
        double bestAuc = state.BestAuc;
        bool saved = state.Saved, stopped = false;
        double logitThreshold = Math.Log(s.Threshold / (1 - s.Threshold));
        var tape = new Tape();
        var order = Enumerable.Range(0, train.Count).ToArray();
        for (int epoch = state.Epoch + 1; epoch <= s.Epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Array.Sort(order);
            Rng.ForStream(s.Seed, (ulong)epoch).Shuffle(order.AsSpan());
            model.Module.Train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            using (var task = progress.Start($"epoch {epoch}/{s.Epochs}", train.Count, train.TargetSize == 1 ? "windows" : "waveforms"))
            {
                for (int start = 0; start < order.Length; start += s.Batch)
                {
                    int n = Math.Min(s.Batch, order.Length - start);
                    tape.Reset();
                    var (x, y) = Batch(tape, train, order.AsSpan(start, n));
                    optimizer.ZeroGrad();
                    var logits = model.Forward(tape, x);
                    var loss = Ops.BceWithLogits(tape, logits, y, s.PositiveWeight);
                    tape.Backward(loss);
                    if (s.ClipNorm > 0) parameters.ClipGradNorm(s.ClipNorm);
                    optimizer.Step();
                    lossSum += loss.Item() * n;
                    correct += Correct(logits.Data, y.Data, logitThreshold);
                    seen += y.Size;
                    task.Advance(n, $"loss {lossSum / (start + n):F4}  acc {correct / (double)seen:P1}");
                }
            }
            var (valLoss, valAccuracy, valAuc) = Validate(model, validation, s, logitThreshold);
            history.Add(new EpochRecord(epoch, lossSum / train.Count, correct / (double)seen, valLoss, valAccuracy, valAuc,
                optimizer.LearningRate, clock.Elapsed.TotalSeconds));
            bool improved = valAuc > bestAuc + 1e-7;
            if (improved)
            {
                (bestAuc, bestEpoch, stale) = (valAuc, epoch, 0);
                if (valAuc >= s.MinAuc)
                {
                    saveBest(new TrainingResult(history.ToList(), bestEpoch, bestAuc, true, false));
                    saved = true;
                }
            }
            else stale++;
            progress.Note($"epoch {epoch}: train loss {lossSum / train.Count:F4} acc {correct / (double)seen:P2} | validation loss {valLoss:F4} acc {valAccuracy:P2} AUC {valAuc:F4}"
                + (improved ? valAuc >= s.MinAuc ? " (best, saved)" : $" (best, below keep threshold {s.MinAuc})" : $" (no improvement for {stale})"));
            schedule?.Step(valAuc);
            if (statePath is not null)
                new TrainState(epoch, optimizer.Steps, optimizer.LearningRate, bestEpoch, bestAuc, stale, saved, history).Save(statePath, model.Module, optimizer);
            if (stale >= s.Patience)
            {
                stopped = true;
                progress.Note($"early stop: validation AUC has not improved for {s.Patience} epochs (best {bestAuc:F4} at epoch {bestEpoch})");
                break;
            }
        }
        return new TrainingResult(history, bestEpoch, bestAuc, saved, stopped);
    }

    /// <summary>Validation loss, accuracy at the threshold and AUC (over windows, or over bins for whole waveforms).</summary>
    public static (double Loss, double Accuracy, double Auc) Validate(IPeakModel model, IExamples data, TrainingSettings s, double logitThreshold)
    {
        model.Module.Eval();
        var tape = new Tape(gradients: false);
        var scores = new List<float>(data.Count * data.TargetSize);
        var labels = new List<sbyte>(data.Count * data.TargetSize);
        double lossSum = 0;
        long correct = 0;
        var indices = Enumerable.Range(0, data.Count).ToArray();
        for (int start = 0; start < data.Count; start += s.Batch)
        {
            int n = Math.Min(s.Batch, data.Count - start);
            tape.Reset();
            var (x, y) = Batch(tape, data, indices.AsSpan(start, n));
            var logits = model.Forward(tape, x);
            lossSum += Ops.BceWithLogits(tape, logits, y, s.PositiveWeight).Item() * n;
            correct += Correct(logits.Data, y.Data, logitThreshold);
            foreach (var z in logits.Data) scores.Add(1f / (1f + MathF.Exp(-z)));
            foreach (var t in y.Data) labels.Add((sbyte)(t > 0.5f ? 1 : 0));
        }
        return (lossSum / data.Count, correct / (double)labels.Count, RocCurve.Compute(scores, labels).Auc);
    }

    private static (Tensor X, Tensor Y) Batch(Tape tape, IExamples data, ReadOnlySpan<int> indices)
    {
        int n = indices.Length;
        var x = tape.Empty(new Shape(n, data.InputSize));
        var y = tape.Empty(data.TargetSize == 1 ? new Shape(n) : new Shape(n, data.TargetSize));
        data.Fill(indices, x.Data, y.Data);
        return (x, y);
    }

    private static long Correct(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, double logitThreshold)
    {
        long c = 0;
        for (int i = 0; i < logits.Length; i++) if ((logits[i] >= logitThreshold) == (targets[i] > 0.5f)) c++;
        return c;
    }
}
