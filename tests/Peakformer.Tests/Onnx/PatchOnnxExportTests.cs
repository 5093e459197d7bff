using Microsoft.ML.OnnxRuntime;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Tests.Support;
using Xunit.Abstractions;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace Peakformer.Tests.Onnx;

/// <summary>
/// `export` of the patch transformer (weights moved off their initial range), run by ONNX Runtime in-process on records
/// whose length is and is not a multiple of the patch (the graph pads and cuts back itself): logits equal Peakformer's
/// within 1e-5; the file passes onnx.checker.
/// </summary>
public class PatchOnnxExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(8)]
    [InlineData(0)]
    public void Onnx_runtime_gives_the_patch_transformers_logits_on_records_of_any_length(int frontChannels)
    {
        using var folder = new TempFolder();
        var model = new PatchTransformer(new PatchTransformerConfig { FrontChannels = frontChannels, Model = 32, Heads = 2, FeedForward = 48 }, new Rng(4));
        var rng = new Rng(5);
        foreach (var (_, p) in model.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.1 * rng.NextNormal());
        model.Eval();
        string checkpoint = folder.File("patch.safetensors"), onnx = folder.File("patch.onnx");
        PeakCheckpoint.Save(checkpoint, model, new PeakModelInfo { Task = DriftChamberModels.PerBinTask });
        var (code, _, error) = Cli.CliHarness.Run("export", "--model", checkpoint, "--out", onnx);
        Assert.True(code == 0, error);

        using var session = new InferenceSession(onnx);
        Assert.Equal("patch-transformer", session.ModelMetadata.CustomMetadataMap["peakformer_model"]);
        foreach (var (batch, length) in new[] { (1, 1200), (3, 1200), (2, 300), (2, 37) })
        {
            var values = Enumerable.Range(0, batch * length).Select(i => (float)(0.3 * rng.NextNormal() + 0.1 * (i / length % 3))).ToArray();
            var expected = model.Forward(new Tape(gradients: false), Tensor.FromArray(values, new Shape(batch, length))).ToArray();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("waveforms", new DenseTensor(values, [batch, length]))]);
            var logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
            Assert.Equal(expected.Length, logits.Length);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - logits[i]));
            output.WriteLine($"patch-transformer (front {frontChannels}), batch {batch} of {length} samples: largest logit difference {worst:G3}, spread {expected.Max() - expected.Min():G3}");
            Assert.InRange(worst, 0, 1e-5);
            Assert.True(expected.Max() - expected.Min() > 1e-2, "the logits differ along the records");
        }
        if (!TorchPython.OnnxAvailable(output)) return;
        var (checkCode, checkOut, checkError) = TorchPython.Run("check_onnx.py", onnx);
        Assert.True(checkCode == 0, checkError + checkOut);
    }
}
