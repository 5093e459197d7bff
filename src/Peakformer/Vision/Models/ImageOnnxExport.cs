using System.Text.Json;
using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;

namespace Peakformer.Vision.Models;

/// <summary>
/// An image checkpoint as an ONNX model: input "pixels" [batch, C, H, W] in [0, 1], normalised inside the graph as in
/// training ((x - mean) / std from the checkpoint), outputs "logits" and "probabilities" (softmax) [batch, K]; the
/// class names, the config and the Peakformer version in the metadata.
/// </summary>
public static class ImageOnnxExport
{
    public static byte[] Export(string checkpointPath)
    {
        var (model, info) = ImageCheckpoint.Load(checkpointPath);
        var graph = new OnnxGraph(model, model.Kind);
        var pixels = graph.Input("pixels", "batch", info.Channels, info.Height, info.Width);
        var normalised = graph.Node("Div", [graph.Node("Sub", [pixels, graph.Floats("mean", [info.Mean])]), graph.Floats("std", [info.Std])]);
        var logits = model.ExportOnnx(graph, normalised);
        int classes = info.ClassNames.Count;
        graph.Output(logits, "logits", "batch", classes);
        graph.Output(graph.Node("Softmax", [logits], null, ("axis", -1L)), "probabilities", "batch", classes);
        var metadata = OnnxMetadata.For(model.Kind, model.Config, info.Task);
        metadata["class_names"] = JsonSerializer.Serialize(info.ClassNames);
        metadata["inputs"] = $"pixels: float32 [batch, {info.Channels}, {info.Height}, {info.Width}], values in [0, 1]; normalised inside the graph as (x - {info.Mean}) / {info.Std}";
        metadata["outputs"] = $"logits and probabilities: float32 [batch, {classes}], class k named by class_names[k]";
        return graph.ToBytes(OnnxMetadata.PeakformerVersion, metadata, $"Peakformer {model.Kind} ({ModelKinds.All.Get(model.Kind, checkpointPath).DisplayName}) exported from {Path.GetFileName(checkpointPath)}");
    }
}
