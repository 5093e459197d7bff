using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Engine.Files;
using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer export</c>: a checkpoint as an ONNX model (opset 17, standard operators) for ONNX Runtime and the experiments' software.</summary>
public static class ExportCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Option<string>("--model") { Description = "Trained model (.safetensors).", Required = true };
        var format = new Option<string>("--format") { Description = "Export format: onnx.", DefaultValueFactory = _ => "onnx" };
        var output = new Option<string>("--out") { Description = "Output file (.onnx).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file Peakformer wrote." };
        var command = new Command("export", $"Write a trained model as an ONNX model (opset {OnnxGraph.Opset}, dynamic batch axis), checked by ONNX Runtime in the tests.")
        {
            model, format, output, force,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string path = parse.GetValue(model)!;
            string to = parse.GetValue(format)!;
            if (to != "onnx") throw new InputException($"--format: expected onnx, found '{to}'");
            string outPath = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", path);
            var registered = ModelKinds.All.OfCheckpoint(path);
            if (registered.ExportOnnx is null)
                throw new InputException($"{path}: the {registered.DisplayName} ({registered.Name}) has no ONNX mapping yet; exportable kinds: {string.Join(", ", ModelKinds.All.Kinds.Where(k => k.ExportOnnx is not null).Select(k => k.Name))}");
            byte[] bytes;
            try
            {
                bytes = registered.ExportOnnx(path);
            }
            catch (NotSupportedException e)
            {
                // A layer or activation of this model has no ONNX mapping yet: the model's fault, not the program's.
                throw new InputException($"{path}: {e.Message}");
            }
            AtomicFile.Write(outPath, stream => stream.Write(bytes));
            terminal.Line($"wrote {outPath} ({bytes.Length / 1024.0:F0} KiB, {registered.DisplayName}, opset {OnnxGraph.Opset})");
            return 0;
        }));
        return command;
    }
}
