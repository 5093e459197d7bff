using Peakformer.Engine.Kernels;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Files;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Progress;

namespace Peakformer.Learning.Training;

/// <summary>
/// The training loop shared by every model: seeded shuffles (epoch e uses stream (seed, e)), AdamW or Adam, an
/// optional schedule and gradient clipping, the objective's validation metric after every epoch, early stopping on
/// it, and a checkpoint written each time the metric improves while good enough to keep. State for --resume is
/// written beside the checkpoint after every epoch. Every epoch is kept in the history, also those after the best.
/// </summary>
public static class Trainer
{
    /// <summary>Most input values in one batch (4 MB of floats), e.g. 4096 examples of 256 values or 873 of 1200.</summary>
    public const long MaxBatchInputs = 1 << 20;

    /// <param name="saveBest">
    /// Called when the current weights are the best so far and good enough to keep, and once more at the end when
    /// epochs followed the best one: the best weights and buffers (batch norm's running statistics) are put back into
    /// the model for that call, so the checkpoint carries the whole history (the model is left with the last epoch's
    /// weights and buffers, as training left them).
    /// </param>
    /// <param name="statePath">Checkpoint path whose ".state" sidecar is written after every epoch (and read on resume).</param>
    /// <param name="label">Names the model in progress lines, so the runs of a workflow that trains several tell apart.</param>
    public static TrainingResult Train(ITrainable model, IObjective objective, IExamples train, IExamples validation, TrainingSettings s,
        IProgressReporter progress, Action<TrainingResult> saveBest, string? statePath = null, bool resume = false, string? label = null)
    {
        s.Validate();
        // The products of this run (its steps and validation) in the settings' precision; whoever called gets theirs back.
        var before = KernelSettings.Precision;
        KernelSettings.Precision = s.MatrixPrecision;
        try
        {
            return Run(model, objective, train, validation, s, progress, saveBest, statePath, resume, label);
        }
        finally
        {
            KernelSettings.Precision = before;
        }
    }

    private static TrainingResult Run(ITrainable model, IObjective objective, IExamples train, IExamples validation, TrainingSettings s,
        IProgressReporter progress, Action<TrainingResult> saveBest, string? statePath, bool resume, string? label)
    {
        string prefix = label is null ? "" : label + ": ";
        if (train.Count == 0 || validation.Count == 0)
            throw new InputException($"training needs examples in both splits, found {train.Count} for training and {validation.Count} for validation");
        // Memory grows with the inputs of a batch: long inputs need a far smaller batch than short ones.
        long batchInputs = (long)Math.Min(s.Batch, train.Count) * train.InputSize;
        if (batchInputs > MaxBatchInputs)
            throw new InputException($"--batch: expected at most {MaxBatchInputs / train.InputSize} examples of {train.InputSize} inputs " +
                $"({MaxBatchInputs} input values per batch), found {s.Batch}");
        var parameters = new ParameterSet(model.Module);
        var optimizer = CreateOptimizer(parameters, s);
        var schedule = Schedule(optimizer, objective, s);
        var state = new TrainState(0, 0, s.LearningRate, 0, objective.HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity, 0, false, []);
        if (resume)
        {
            if (statePath is null) throw new InputException("--resume needs the checkpoint path given with --out");
            state = TrainState.Load(statePath, model.Module, optimizer);
            state.RequireSameSettings(statePath, s);
            state.RestoreGenerators(statePath, model.Module);
            foreach (var past in state.History) schedule?.Step(past.ValidationMetric);
            optimizer.LearningRate = state.LearningRate;
            progress.Note($"resuming after epoch {state.Epoch} (best validation {objective.MetricName} {state.BestMetric:F4} at epoch {state.BestEpoch})");
        }
        var history = state.History;
        int bestEpoch = state.BestEpoch, stale = state.EpochsWithoutImprovement;
        double best = state.BestMetric;
        bool saved = state.Saved, stopped = false, wroteState = false;
        // The weights (and buffers: KeptState) of the kept best epoch, to write the final history beside them; the state carries them, so a
        // resumed run that does not improve still writes the whole history at its end.
        float[]? bestWeights = state.KeptWeights;
        (int Epoch, double Metric) kept = (state.KeptEpoch ?? 0, state.KeptMetric ?? 0);
        var tape = new Tape();
        var order = Enumerable.Range(0, train.Count).ToArray();
        // A run resumed after it stopped early only writes its final checkpoint (it may have been killed before that).
        if (resume && stale >= s.Patience) stopped = true;
        for (int epoch = state.Epoch + 1; !stopped && epoch <= s.Epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Array.Sort(order);
            Rng.ForStream(s.Seed, (ulong)epoch).Shuffle(order.AsSpan());
            train.BeginEpoch(epoch);
            model.Module.Train();
            double lossSum = 0;
            var seen = objective.Accumulator();
            using (var task = progress.Start($"{prefix}epoch {epoch}/{s.Epochs}", train.Count, train.Unit))
            {
                for (int start = 0; start < order.Length; start += s.Batch)
                {
                    int n = Math.Min(s.Batch, order.Length - start);
                    tape.Reset();
                    var (x, y) = Batch(tape, train, order.AsSpan(start, n));
                    optimizer.ZeroGrad();
                    Tensor output, loss;
                    try
                    {
                        output = model.Forward(tape, x);
                        loss = objective.Loss(tape, output, y);
                        if (!float.IsFinite(loss.Item())) throw NonFiniteLoss(loss.Item(), $"epoch {epoch}, step {start / s.Batch + 1}", optimizer.LearningRate);
                        tape.Backward(loss);
                    }
                    catch (NonFiniteException e)
                    {
                        // Checked mode (PEAKFORMER_CHECK_FINITE) names the operation: keep that, and say where in training.
                        throw new InputException($"training: {e.Message.TrimEnd('.')} at epoch {epoch}, step {start / s.Batch + 1}");
                    }
                    float stepLoss = loss.Item();
                    if (s.ClipNorm > 0) parameters.ClipGradNorm(s.ClipNorm);
                    optimizer.Step();
                    lossSum += stepLoss * n;
                    seen.Add(output.Data, y.Data);
                    task.Advance(n, $"loss {lossSum / (start + n):F4}  {objective.ScoreName} {seen.Score:F4}");
                }
            }
            var (valLoss, valScore, valMetric, valMetrics) = Validate(model, objective, validation, s.Batch, $"epoch {epoch}", optimizer.LearningRate);
            history.Add(new EpochRecord(epoch, lossSum / train.Count, seen.Score, valLoss, valScore, valMetric, optimizer.LearningRate, clock.Elapsed.TotalSeconds)
                { ValidationMetrics = valMetrics });
            bool improved = objective.HigherIsBetter ? valMetric > best + 1e-7 : valMetric < best - 1e-7;
            bool keep = improved && objective.GoodEnough(valMetric);
            if (improved)
            {
                (best, bestEpoch, stale) = (valMetric, epoch, 0);
                if (keep)
                {
                    saveBest(new TrainingResult(history.ToList(), bestEpoch, best, true, false));
                    saved = true;
                    bestWeights ??= new float[KeptState.Size(model.Module)];
                    KeptState.Capture(parameters, model.Module, bestWeights);
                    kept = (epoch, valMetric);
                }
            }
            else stale++;
            progress.Note($"{prefix}epoch {epoch}: train loss {lossSum / train.Count:F4} {objective.ScoreName} {seen.Score:F4} | validation loss {valLoss:F4} " +
                $"{objective.ScoreName} {valScore:F4} {objective.MetricName} {valMetric:F4}" +
                (improved ? keep ? " (best, saved)" : " (best, not good enough to keep)" : $" (no improvement for {stale})"));
            schedule?.Step(valMetric);
            if (statePath is not null)
            {
                (new TrainState(epoch, optimizer.Steps, optimizer.LearningRate, bestEpoch, best, stale, saved, history)
                    { Settings = s, KeptEpoch = bestWeights is null ? null : kept.Epoch, KeptMetric = bestWeights is null ? null : kept.Metric })
                    .WithGeneratorsOf(model.Module).Save(statePath, model.Module, optimizer, bestWeights);
                wroteState = true;
            }
            if (stale >= s.Patience)
            {
                stopped = true;
                progress.Note($"early stop: validation {objective.MetricName} has not improved for {s.Patience} epochs (best {best:F4} at epoch {bestEpoch})");
                break;
            }
        }
        if (bestWeights is not null && history.Count > kept.Epoch)
        {
            var last = new float[bestWeights.Length];
            KeptState.Capture(parameters, model.Module, last);
            KeptState.Restore(bestWeights, parameters, model.Module);
            try
            {
                saveBest(new TrainingResult(history.ToList(), kept.Epoch, kept.Metric, true, stopped));
            }
            finally
            {
                KeptState.Restore(last, parameters, model.Module); // a failed save still leaves the model as training left it
            }
        }
        // A state is there to continue towards a checkpoint: a finished run that kept none removes the state it wrote.
        if (!saved && wroteState) OutputLedger.Delete(TrainState.PathFor(statePath!));
        return new TrainingResult(history, bestEpoch, best, saved, stopped);
    }

    /// <summary>
    /// The optimiser of the settings over every parameter (one group: biases and norms are decayed too): AdamW
    /// (decoupled weight decay) or Adam (L2), PyTorch's betas (0.9, 0.999) and eps 1e-8.
    /// </summary>
    public static Optimizer CreateOptimizer(ParameterSet parameters, TrainingSettings s) => s.Optimizer == "adam"
        ? new Adam(parameters, s.LearningRate, weightDecay: s.WeightDecay)
        : new AdamW(parameters, s.LearningRate, weightDecay: s.WeightDecay);

    /// <summary>
    /// The learning-rate schedule of the settings, stepped once per epoch: cosine annealing (over the epochs after
    /// warm-up), ReduceLROnPlateau on the validation metric, or none; a linear warm-up before any of them.
    /// </summary>
    public static ILearningRateSchedule? Schedule(Optimizer optimizer, IObjective objective, TrainingSettings s)
    {
        float floor = s.MinLearningRate ?? s.LearningRate / 100;
        ILearningRateSchedule? then = s.Schedule switch
        {
            "cosine" => new CosineAnnealing(optimizer, s.Epochs - s.WarmupEpochs, floor),
            "plateau" => new ReduceLROnPlateau(optimizer, maximise: objective.HigherIsBetter, factor: 0.5f, patience: Math.Max(1, s.Patience / 3),
                minLearningRate: floor),
            _ => null,
        };
        return s.WarmupEpochs > 0 ? new LinearWarmup(optimizer, s.WarmupEpochs, then) : then;
    }

    /// <summary>
    /// Validation loss, score, metric and the objective's figures (finite ones only: JSON has no NaN); a NaN or
    /// infinite loss stops training (<paramref name="when"/> names the epoch).
    /// </summary>
    public static (double Loss, double Score, double Metric, IReadOnlyDictionary<string, double> Metrics) Validate(ITrainable model, IObjective objective, IExamples data, int batch,
        string when = "validation", float learningRate = float.NaN)
    {
        model.Module.Eval();
        var tape = new Tape(gradients: false);
        var seen = objective.Accumulator();
        double lossSum = 0;
        var indices = Enumerable.Range(0, data.Count).ToArray();
        for (int start = 0; start < data.Count; start += batch)
        {
            int n = Math.Min(batch, data.Count - start);
            tape.Reset();
            var (x, y) = Batch(tape, data, indices.AsSpan(start, n));
            Tensor output;
            float loss;
            try
            {
                output = model.Forward(tape, x);
                loss = objective.Loss(tape, output, y).Item();
            }
            catch (NonFiniteException e)
            {
                throw new InputException($"training: {e.Message.TrimEnd('.')} at {when}, validation examples {start} to {start + n - 1}");
            }
            if (!float.IsFinite(loss)) throw NonFiniteLoss(loss, $"{when}, validation examples {start} to {start + n - 1}", learningRate);
            lossSum += loss * n;
            seen.Add(output.Data, y.Data);
        }
        var figures = seen.Metrics().Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return (lossSum / data.Count, seen.Score, seen.Metric, figures);
    }

    /// <summary>
    /// A NaN or infinite loss: the weights or the data have left float range. The usual causes are a learning rate
    /// that is too large and input values too large for the model (e.g. 3e38), so the message names both.
    /// </summary>
    private static InputException NonFiniteLoss(float loss, string where, float learningRate) =>
        new($"training: loss became {Finite.Describe(loss)} at {where}" + (float.IsNaN(learningRate) ? "" :
            $" (learning rate {Finite.Describe(learningRate)} is too large? or input values out of range)"));

    private static (Tensor X, Tensor Y) Batch(Tape tape, IExamples data, ReadOnlySpan<int> indices)
    {
        int n = indices.Length;
        var x = tape.Empty(new Shape(n, data.InputSize));
        var y = tape.Empty(data.TargetSize == 1 ? new Shape(n) : new Shape(n, data.TargetSize));
        data.Fill(indices, x.Data, y.Data);
        return (x, y);
    }
}
