using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Peakformer.Benchmarks;

/// <summary>
/// ONNX Runtime (the Microsoft.ML.OnnxRuntime package, in-process) as the inference peer of a model line: the model
/// as `export` writes its graph, at the same thread count, with every graph optimisation on, on the same batch.
/// </summary>
public sealed class OnnxRuntimePeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly IReadOnlyCollection<NamedOnnxValue> _inputs;
    private readonly int _batch;

    /// <param name="model">An ONNX model's bytes with one float input named <paramref name="input"/>.</param>
    public OnnxRuntimePeer(byte[] model, string input, float[] values, int[] shape, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _inputs = [NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(values, shape))];
        _batch = shape[0];
    }

    /// <summary>Samples per second of batches run for about <paramref name="seconds"/> seconds.</summary>
    public double InferRate(double seconds) => Measure.Rate(() =>
    {
        using var results = _session.Run(_inputs);
        return _batch;
    }, seconds);

    public void Dispose() => _session.Dispose();
}
