using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// A peak-model checkpoint as an ONNX model. The window models (transformer, LSTM): input "windows" [batch, W], the raw samples
/// t - before .. t + after around a candidate bin t (amplitude in the model's unit, baseline at 0), their mean
/// subtracted inside the graph as <see cref="Windows.WindowCutter"/> does; outputs "logits" and "probabilities"
/// (sigmoid) [batch]. The window, threshold, sampling interval and input conventions are in the metadata.
/// </summary>
public static class PeakOnnxExport
{
    public static byte[] Export(string checkpointPath)
    {
        var (model, info) = PeakCheckpoint.Load(checkpointPath);
        var graph = new OnnxGraph(model.Module, model.Kind);
        var metadata = OnnxMetadata.For(model.Kind, model.Config, info.Task);
        Func<string, string> body = model switch
        {
            WindowTransformer transformer => windows => transformer.ExportOnnx(graph, windows),
            WindowLstm lstm => windows => lstm.ExportOnnx(graph, windows),
            _ => throw new InputException($"{checkpointPath}: the {ModelKinds.All.Get(model.Kind, checkpointPath).DisplayName} ({model.Kind}) has no ONNX mapping yet"),
        };
        int w = model.WindowLength;
        var raw = graph.Input("windows", "batch", w);
        var centred = graph.Node("Sub", [raw, graph.Node("ReduceMean", [raw], null, ("axes", new long[] { 1 }), ("keepdims", 1L))]);
        string logits = body(centred);
        metadata["inputs"] = $"windows: float32 [batch, {w}], samples t - {info.Windows.Before} .. t + {info.Windows.After} around a candidate bin t, " +
            $"sampled every {info.SamplingNs} ns, amplitude in the model's unit with the baseline at 0; the window mean is subtracted inside the graph";
        graph.Output(logits, "logits", "batch");
        graph.Output(graph.Node("Sigmoid", [logits]), "probabilities", "batch");
        metadata["outputs"] = $"logits and probabilities (sigmoid): float32 [batch], a peak where probability >= threshold";
        metadata["threshold"] = info.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["sampling_ns"] = info.SamplingNs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (info.Input is not null) metadata["input_conventions"] = ModelJson.Serialize(info.Input);
        return graph.ToBytes(OnnxMetadata.PeakformerVersion, metadata, $"Peakformer {model.Kind} exported from {Path.GetFileName(checkpointPath)}");
    }
}
