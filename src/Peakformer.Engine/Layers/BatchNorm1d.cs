using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// nn.BatchNorm1d(channels) with its defaults (affine, track_running_stats, momentum 0.1, eps 1e-5) over x[B, C] or
/// x[B, C, L]: parameters weight (ones) and bias (zeros); buffers running_mean (zeros), running_var (ones) and
/// num_batches_tracked (saved as float32; PyTorch's load_state_dict copies it into its int64 buffer). Training mode
/// normalises with the batch's statistics and updates the running ones; evaluation mode uses the running ones.
/// </summary>
public sealed class BatchNorm1d : Module, ILayer
{
    public BatchNorm1d(int channels, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (channels <= 0) throw new ArgumentException($"BatchNorm1d: channels must be positive, got {channels}.");
        if (momentum is <= 0 or > 1) throw new ArgumentException($"BatchNorm1d: momentum must be in (0, 1], got {momentum}.");
        if (!(eps > 0)) throw new ArgumentException($"BatchNorm1d: eps must be positive, got {eps}.");
        Momentum = momentum;
        Eps = eps;
        Weight = AddParameter("weight", new Shape(channels), Constant(1f));
        Bias = AddParameter("bias", new Shape(channels), Constant(0f));
        RunningMean = AddBuffer("running_mean", new Shape(channels), 0f);
        RunningVar = AddBuffer("running_var", new Shape(channels), 1f);
        BatchesTracked = AddBuffer("num_batches_tracked", new Shape(), 0f);
    }

    public float Momentum { get; }
    public float Eps { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    /// <summary>Training steps seen (a scalar; float32 counts exactly up to 2^24).</summary>
    public Tensor BatchesTracked { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        if (Training) BatchesTracked.Data[0] += 1;
        return Ops.BatchNorm(tape, x, Weight.Value, Bias.Value, RunningMean, RunningVar, Training, Momentum, Eps);
    }

    /// <summary>Inference in an ONNX graph: BatchNormalization with the running statistics as constants.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x)
    {
        long channels = Weight.Shape[0];
        return graph.Node("BatchNormalization",
            [x, graph.Parameter(Weight), graph.Parameter(Bias), graph.Floats("running_mean", RunningMean.Data, channels),
             graph.Floats("running_var", RunningVar.Data, channels)],
            null, ("epsilon", Eps), ("momentum", 1f - Momentum));
    }
}
