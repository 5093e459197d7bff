using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.DriftChamber.Models;
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
        var peakModelOut = new Option<string?>("--peak-model-out") { Description = "Count models that carry their peak model: write that peak model too, as ONNX (.onnx)." };
        var command = new Command("export", $"Write a trained model as an ONNX model (opset {OnnxGraph.Opset}, dynamic batch axis), checked by ONNX Runtime in the tests.")
        {
            model, format, output, force, peakModelOut,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string path = parse.GetValue(model)!;
            string to = parse.GetValue(format)!;
            if (to != "onnx") throw new InputException($"--format: expected onnx, found '{to}'");
            string outPath = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", path);
            string? peakPath = parse.GetValue(peakModelOut) is { } p ? OutputPath.Check(p, parse.GetValue(force), "--peak-model-out", path, outPath) : null;
            var registered = ModelKinds.All.OfCheckpoint(path);
            if (peakPath is not null && !DriftChamberModels.CountsClusters(registered))
                throw new InputException($"--peak-model-out: only a count model carries a peak model; {path} is a {registered.DisplayName} ({registered.Name})");
            if (registered.ExportOnnx is null && registered.NoOnnxReason is { } reason)
                throw new InputException($"{path}: the {registered.DisplayName} ({registered.Name}) is not exported as ONNX: {reason}");
            if (registered.ExportOnnx is null)
                throw new InputException($"{path}: the {registered.DisplayName} ({registered.Name}) has no ONNX mapping yet; exportable kinds: {string.Join(", ", ModelKinds.All.Kinds.Where(k => k.ExportOnnx is not null).Select(k => k.Name))}");
            byte[] bytes;
            byte[]? peakBytes = null;
            try
            {
                bytes = registered.ExportOnnx(path);
                // Both files are made before either is written: no partial output.
                if (peakPath is not null) peakBytes = CountOnnxExport.PeakModel(path);
            }
            catch (NotSupportedException e)
            {
                // A layer or activation of this model has no ONNX mapping yet: the model's fault, not the program's.
                throw new InputException($"{path}: {e.Message}");
            }
            AtomicFile.Write(outPath, stream => stream.Write(bytes));
            terminal.Line($"wrote {outPath} ({bytes.Length / 1024.0:F0} KiB, {registered.DisplayName}, opset {OnnxGraph.Opset})");
            if (peakPath is not null)
            {
                AtomicFile.Write(peakPath, stream => stream.Write(peakBytes!));
                terminal.Line($"wrote {peakPath} ({peakBytes!.Length / 1024.0:F0} KiB, the peak model {path} carries, opset {OnnxGraph.Opset})");
            }
            return 0;
        }));
        return command;
    }
}
