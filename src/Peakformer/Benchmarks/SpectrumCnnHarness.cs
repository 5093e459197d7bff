using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Onnx;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Spectroscopy.Models;

namespace Peakformer.Benchmarks;

/// <summary>
/// The spectrum CNN line of <c>peakformer bench --suite spectra</c>: a training step of the default
/// <see cref="SpectrumCnnConfig"/> (1000 points, blocks of 16, 32, 64 channels, kernel 7, pool 2, dropout 0.2,
/// 10 classes) on a batch of 64 random spectra, cross-entropy, AdamW (lr 1e-3, weight decay 0.01); the same as
/// bench/peers/spectrum_cnn_peer.py. The config is written out here so the figures stay comparable whatever the
/// defaults become.
/// </summary>
public static class SpectrumCnnHarness
{
    public const int Batch = 64;

    public static SpectrumCnnConfig Config { get; } = new()
    {
        Length = 1000, InChannels = 1, Classes = 10, Channels = [16, 32, 64], KernelSize = 7, Pool = 2, Dropout = 0.2f,
    };

    /// <summary>The peer's line, as spectrum_cnn_peer.py prints it.</summary>
    public static string PeerName => $"{SpectrumCnn.KindName} B={Batch}";

    public static (SpectrumCnn Model, ModelHarness Harness, float[] Spectra) Create()
    {
        var rng = new Rng(0);
        var model = new SpectrumCnn(Config, rng);
        var optimizer = new AdamW(new ParameterSet(model), 1e-3f, weightDecay: 0.01f);
        var spectra = new float[Batch * Config.Length];
        rng.FillNormal(spectra, 1f);
        var labels = new int[Batch];
        for (int i = 0; i < Batch; i++) labels[i] = rng.NextInt(Config.Classes);
        var x = Tensor.FromArray(spectra, new Shape(Batch, Config.Length));
        var harness = new ModelHarness(model, optimizer, Batch,
            tape => Ops.CrossEntropy(tape, model.Forward(tape, x), labels),
            tape => model.Forward(tape, x));
        return (model, harness, spectra);
    }

    /// <summary>ONNX Runtime on the model's graph (spectra [B, L] in, logits out), on the harness's batch.</summary>
    public static OnnxRuntimePeer OnnxPeer(SpectrumCnn model, float[] spectra, int threads) => OnnxPeer(model, spectra, Batch, threads);

    /// <summary>The same on a batch of <paramref name="batch"/> spectra.</summary>
    public static OnnxRuntimePeer OnnxPeer(SpectrumCnn model, float[] spectra, int batch, int threads)
    {
        var graph = new OnnxGraph(model, model.Kind);
        var input = graph.Input("spectra", "batch", model.Config.Length);
        graph.Output(model.ExportOnnx(graph, input, flat: true), "logits", "batch", model.Config.Classes);
        return new OnnxRuntimePeer(graph.ToBytes(OnnxMetadata.PeakformerVersion, new Dictionary<string, string>()), "spectra", spectra,
            [batch, model.Config.Length], threads);
    }
}
