using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Tensors;

namespace Peakformer.Benchmarks;

/// <summary>Times training steps (forward, backward, optimiser) and inference batches of one model on fixed random data.</summary>
public sealed class ModelHarness
{
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly Func<Tape, Tensor> _loss;
    private readonly Func<Tape, Tensor> _infer;
    private readonly Tape _train = new();
    private readonly Tape _inference = new(gradients: false);

    public ModelHarness(Module model, Optimizer optimizer, int batch, Func<Tape, Tensor> loss, Func<Tape, Tensor> infer)
    {
        _model = model;
        _optimizer = optimizer;
        Batch = batch;
        _loss = loss;
        _infer = infer;
    }

    public int Batch { get; }

    public void TrainStep()
    {
        _model.Train();
        _train.Reset();
        _optimizer.ZeroGrad();
        _train.Backward(_loss(_train));
        _optimizer.Step();
    }

    public void InferBatch()
    {
        _model.Eval();
        _inference.Reset();
        _infer(_inference);
    }

    /// <summary>Bytes allocated by the first step, and per step over two later windows (they should be equal and near zero).</summary>
    public (long First, double Steady, double Later) Allocations(int steps = 20)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        TrainStep();
        long first = GC.GetTotalAllocatedBytes(precise: true) - before;
        for (int i = 0; i < steps; i++) TrainStep();
        double Window()
        {
            long start = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < steps; i++) TrainStep();
            return (GC.GetTotalAllocatedBytes(precise: true) - start) / (double)steps;
        }
        double steady = Window();
        double later = Window();
        return (first, steady, later);
    }

    public double TrainRate(double seconds) => Measure.Rate(() => { TrainStep(); return Batch; }, seconds);

    public double InferRate(double seconds) => Measure.Rate(() => { InferBatch(); return Batch; }, seconds);
}
