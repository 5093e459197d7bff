using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;
using Peakformer.Vision.Models;
using Xunit.Abstractions;

namespace Peakformer.Tests.Onnx;

/// <summary>
/// `export --format onnx` of image models, run by ONNX Runtime 1.31 in-process: its logits and probabilities equal
/// Peakformer's within 1e-5 at batch 1 and 257, for square and 1D patches and several channels; the file passes
/// onnx.checker (python/check_onnx.py, Debian's python3-onnx) and carries the config and version.
/// </summary>
public class ImageOnnxExportTests(ITestOutputHelper output)
{
    private static readonly VisionTransformerConfig Small = SmallVit.Config;

    [Theory]
    [InlineData(PatchGeometry.Square)]
    [InlineData(PatchGeometry.Raster)]
    public void Onnx_runtime_gives_peakformers_logits_at_batch_1_and_257(PatchGeometry geometry)
    {
        using var folder = new TempFolder();
        var model = SmallVit.Perturbed(geometry);
        var rng = new Rng(9);
        string checkpoint = folder.File("vit.safetensors");
        ImageCheckpoint.Save(checkpoint, model, SmallVit.Info());
        string onnx = folder.File("vit.onnx");
        var (code, stdout, stderr) = CliHarness.Run("export", "--model", checkpoint, "--out", onnx);
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout);

        using var session = new InferenceSession(onnx);
        Assert.Equal(model.Kind, session.ModelMetadata.CustomMetadataMap["peakformer_model"]);
        Assert.Contains("\"patch_size\":4", session.ModelMetadata.CustomMetadataMap["config"].Replace(" ", ""));
        foreach (int batch in new[] { 1, 257 })
        {
            var pixels = new float[batch * Small.Channels * Small.ImageSize * Small.ImageSize];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.NextFloat();
            // Peakformer reads normalised images; the graph normalises pixels itself.
            var normalised = Tensor.FromArray(pixels.Select(v => (v - 0.5f) / 0.5f).ToArray(), new Shape(batch, Small.Channels, Small.ImageSize, Small.ImageSize));
            var expected = model.Forward(new Tape(gradients: false), normalised).ToArray();
            var input = new DenseTensor(pixels, [batch, Small.Channels, Small.ImageSize, Small.ImageSize]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("pixels", input)]);
            var logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
            var probabilities = results.First(r => r.Name == "probabilities").AsTensor<float>().ToArray();
            Assert.Equal(expected.Length, logits.Length);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - logits[i]));
            output.WriteLine($"{geometry}, batch {batch}: largest logit difference {worst:G3}");
            Assert.InRange(worst, 0, 1e-5);
            for (int b = 0; b < batch; b++)
            {
                var row = expected.AsSpan(b * Small.Classes, Small.Classes).ToArray();
                double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
                for (int k = 0; k < Small.Classes; k++)
                    Assert.InRange(Math.Abs(probabilities[b * Small.Classes + k] - Math.Exp(row[k] - max) / sum), 0, 1e-6);
            }
        }

        if (!TorchPython.OnnxAvailable(output)) return;
        var (checkCode, checkOut, checkError) = TorchPython.Run("check_onnx.py", onnx);
        output.WriteLine(checkOut + checkError);
        Assert.True(checkCode == 0, checkError);
        Assert.Contains("opset ai.onnx 17", checkOut);
    }
}
