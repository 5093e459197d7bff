using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;
using Peakformer.Progress;

namespace Peakformer.Benchmarks;

/// <summary>
/// The models suite of <c>peakformer bench</c>: every exported drift-chamber kind not measured by the engine suite
/// (whose window-transformer line has the PyTorch peer), in the unit a user counts, beside ONNX Runtime on the graph
/// `export` writes. Default config of each kind, its own recipe's optimiser, the batch Peakformer runs it at:
/// candidate windows at <see cref="ModelScorer.WindowBatch"/>, whole records and token rows at the recipe's batch.
/// No PyTorch peer: bench's PyTorch script has no model of these configs (its LSTM and per-bin lines are other models).
/// </summary>
public static class ModelsBenchmark
{
    /// <summary>Valid tokens per count-transformer row, drawn in [Min, Max]: the fcc preset finds about 20-35 peaks per record.</summary>
    public const int MinTokens = 20, MaxTokens = 30;

    /// <summary>The kinds this suite measures, in order.</summary>
    public static IReadOnlyList<ModelKind> Kinds { get; } =
        [DriftChamberModels.WindowLstm, DriftChamberModels.PerBinTransformer, DriftChamberModels.PatchTransformer, DriftChamberModels.CountTransformer, DriftChamberModels.OneStepCounter];

    public static void Run(EngineBenchmarkSettings settings, EngineBenchmarkReport report, IProgressReporter progress)
    {
        int previous = WorkerPool.Shared.Threads;
        try
        {
            foreach (int threads in settings.Threads)
            {
                WorkerPool.SetSharedThreads(threads);
                foreach (var kind in Kinds) Line(settings, kind, threads, report, progress);
            }
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
    }

    private static void Line(EngineBenchmarkSettings s, ModelKind kind, int threads, EngineBenchmarkReport report, IProgressReporter progress)
    {
        var rng = new Rng(0);
        var model = kind.Create(null, rng);
        var (input, shape, unit) = Inputs(model, kind, rng);
        int batch = shape[0];
        var x = Tensor.FromArray(input, new Shape(shape));
        // Targets of the kind's task: peak labels (a tenth positive) per window or per bin, standardised counts.
        bool counts = model is ICountModel;
        var y = Tensor.Zeros(model is IPeakModel { Task: PeakTask.PerBin } ? new Shape(shape) : new Shape(batch));
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = counts ? (float)rng.NextNormal() : rng.NextDouble() < 0.1 ? 1f : 0f;
        var optimizer = Trainer.CreateOptimizer(new ParameterSet(model.Module), kind.Recipe);
        var harness = new ModelHarness(model.Module, optimizer, batch,
            tape => counts ? Ops.MseLoss(tape, model.Forward(tape, x), y) : Ops.BceWithLogits(tape, model.Forward(tape, x), y),
            tape => model.Forward(tape, x));
        using var onnx = OnnxRuntimePeer.Exported(model, input, shape, threads);
        ModelLine.Run(s, kind.Name, kind.DisplayName, harness, null, onnx, threads, report, progress, unit);
    }

    /// <summary>One batch as the kind reads it: candidate windows, whole fcc records, or token rows built by <see cref="PeakTokens"/>.</summary>
    private static (float[] Values, int[] Shape, string Unit) Inputs(ITrainable model, ModelKind kind, Rng rng)
    {
        var fcc = new SimulationConfig();
        int samples = fcc.Samples;
        switch (model)
        {
            case IPeakModel { Task: PeakTask.Window } window:
                return (Normal(rng, ModelScorer.WindowBatch * window.WindowLength), [ModelScorer.WindowBatch, window.WindowLength], "windows");
            case IPeakModel or ICountModel { ReadsWaveform: true }:
                return (Normal(rng, kind.Recipe.Batch * samples), [kind.Recipe.Batch, samples], "waveforms");
            default:
                int rows = kind.Recipe.Batch;
                var tokens = new float[rows * PeakTokens.InputSize];
                var waveform = Normal(rng, samples);
                for (int r = 0; r < rows; r++)
                {
                    int n = MinTokens + rng.NextInt(MaxTokens - MinTokens + 1);
                    var at = new SortedSet<int>();
                    while (at.Count < n) at.Add(rng.NextInt(samples));
                    var scores = at.Select(_ => 0.5f + 0.5f * rng.NextFloat()).ToArray();
                    PeakTokens.Build(waveform, new FoundPeaks([.. at], scores), fcc.SamplingNs, tokens.AsSpan(r * PeakTokens.InputSize, PeakTokens.InputSize));
                }
                return (tokens, [rows, PeakTokens.InputSize], "waveforms");
        }
    }

    private static float[] Normal(Rng rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextNormal();
        return a;
    }
}
