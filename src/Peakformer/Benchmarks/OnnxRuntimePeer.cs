using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Peakformer.DriftChamber.Models;
using Peakformer.Learning.Training;

namespace Peakformer.Benchmarks;

/// <summary>
/// ONNX Runtime (the Microsoft.ML.OnnxRuntime package, in-process) as the inference peer of a model line: the model
/// as `export` writes its graph, at the same thread count, with every graph optimisation on, on the same batch.
/// </summary>
public sealed class OnnxRuntimePeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly IReadOnlyCollection<NamedOnnxValue> _inputs;
    private readonly string _input;
    private readonly int _batch;

    /// <param name="model">An ONNX model's bytes with one float input named <paramref name="input"/> (null: its only input).</param>
    public OnnxRuntimePeer(byte[] model, string? input, float[] values, int[] shape, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _input = input ?? _session.InputNames.Single();
        _inputs = [NamedOnnxValue.CreateFromTensor(_input, new DenseTensor<float>(values, shape))];
        _batch = shape[0];
    }

    /// <summary>
    /// ONNX Runtime on the graph `peakformer export` writes for a drift-chamber model (<see cref="PeakOnnxExport"/>,
    /// <see cref="CountOnnxExport"/>, every output it declares), fed <paramref name="values"/> of <paramref name="shape"/>
    /// (batch first) as its one input: windows, waveforms or tokens, as the kind reads them. Export metadata that only
    /// describes inputs (window geometry, threshold, target scale) takes the defaults; it does not change the graph's cost.
    /// </summary>
    public static OnnxRuntimePeer Exported(ITrainable model, float[] values, int[] shape, int threads)
    {
        const string source = "bench";
        byte[] onnx = model switch
        {
            IPeakModel peak => PeakOnnxExport.Export(peak, new PeakModelInfo
            {
                Task = peak.Task == PeakTask.PerBin ? DriftChamberModels.PerBinTask : DriftChamberModels.WindowTask,
            }, source),
            ICountModel count => CountOnnxExport.Export(count, new CountModelInfo(), null, source),
            _ => throw new ArgumentException($"{model.GetType().Name}: no export for this model here", nameof(model)),
        };
        return new OnnxRuntimePeer(onnx, null, values, shape, threads);
    }

    /// <summary>
    /// The graph's first output (logits, or the standardised count) for another batch of the same input, e.g. a
    /// finder's candidate windows of one chunk of waveforms.
    /// </summary>
    public float[] Run(float[] values, int[] shape)
    {
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, new DenseTensor<float>(values, shape))]);
        return [.. results.First().AsEnumerable<float>()];
    }

    /// <summary>Samples per second of batches run for about <paramref name="seconds"/> seconds.</summary>
    public double InferRate(double seconds) => Measure.Rate(() =>
    {
        using var results = _session.Run(_inputs);
        return _batch;
    }, seconds);

    public void Dispose() => _session.Dispose();
}
