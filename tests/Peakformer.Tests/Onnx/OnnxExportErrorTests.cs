using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Onnx;

/// <summary>`export` refuses what it cannot write with one `error:` line, and writes nothing.</summary>
public class OnnxExportErrorTests(PeakCommandTests.Trained t) : IClassFixture<PeakCommandTests.Trained>
{
    [Fact]
    public void A_kind_without_an_onnx_mapping_a_missing_model_and_an_unknown_format_are_one_line_errors()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("model.onnx");
        foreach (var (args, says) in new (string[], string)[]
        {
            (["export", "--model", t.PerBin, "--out", onnx], "no ONNX mapping yet"),
            (["export", "--model", folder.File("absent.safetensors"), "--out", onnx], "model file not found"),
            (["export", "--model", t.Window, "--format", "tflite", "--out", onnx], "--format: expected onnx, found 'tflite'"),
        })
        {
            var (code, _, error) = CliHarness.Run(args);
            Assert.Equal(1, code);
            Assert.StartsWith("error: ", error);
            Assert.Contains(says, error);
            Assert.Single(error.Trim().Split('\n'));
            Assert.False(File.Exists(onnx));
        }
    }
}
