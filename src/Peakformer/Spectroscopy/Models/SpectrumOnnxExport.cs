using System.Text.Json;
using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// A spectrum checkpoint (1D CNN, spectrum transformer, softmax regression) as an ONNX model: input "spectra"
/// [batch, L] float32 on the model's axis, outputs "logits" and "probabilities" (softmax) [batch, K]. The checkpoint's
/// preprocessing pipeline is NOT in the graph (ALS/airPLS baselines are banded solves, despiking and cropping change
/// the axis): the metadata names it ("preprocessing", "preprocessing_in_graph" = false) so a user applies it first,
/// e.g. with <c>peakformer preprocess --steps</c>. k-NN has no graph (<see cref="NoKnnGraph"/>).
/// </summary>
public static class SpectrumOnnxExport
{
    /// <summary>Why k-NN is refused: its prediction is a search, not weights.</summary>
    public const string NoKnnGraph = "its prediction is a search over every stored training spectrum (double-precision distances, "
        + "the k nearest vote, ties to the earlier spectrum), not a graph of weights, and float32 distances with ONNX's TopK could "
        + "reorder near ties; use peakformer predict, or its PyTorch twin (python/peakformer_torch.py)";

    public static byte[] Export(string checkpointPath)
    {
        var (model, kind, info) = SpectrumCheckpoint.Load(checkpointPath);
        var graph = new OnnxGraph(model.Module, kind.Name);
        int length = info.Axis.Length, classes = info.ClassNames.Count;
        // A CNN of several input channels reads [batch, C, L]; the spectrum task trains one channel.
        bool channels = model is SpectrumCnn { Config.InChannels: > 1 };
        int inChannels = channels ? ((SpectrumCnn)model).Config.InChannels : 1;
        var spectra = channels ? graph.Input("spectra", "batch", inChannels, length) : graph.Input("spectra", "batch", length);
        (string logits, object config) = model switch
        {
            SpectrumCnn cnn => (cnn.ExportOnnx(graph, spectra, flat: !channels), (object)cnn.Config),
            SpectrumTransformer transformer => (transformer.ExportOnnx(graph, spectra), transformer.Config),
            SoftmaxRegression regression => (regression.Linear.ExportOnnx(graph, spectra), regression.Config),
            _ => throw new InputException($"{checkpointPath}: the {kind.DisplayName} ({kind.Name}) is not exported as ONNX: {kind.NoOnnxReason ?? "no mapping"}"),
        };
        graph.Output(logits, "logits", "batch", classes);
        graph.Output(graph.Node("Softmax", [logits], null, ("axis", -1L)), "probabilities", "batch", classes);

        string pipeline = info.Preprocessing.Length == 0 ? "none" : info.Preprocessing;
        var metadata = OnnxMetadata.For(kind.Name, config, info.Task);
        metadata["class_names"] = JsonSerializer.Serialize(info.ClassNames);
        metadata["preprocessing"] = pipeline;
        metadata["preprocessing_in_graph"] = "false";
        metadata["input_preprocessing"] = info.InputPreprocessing.Length == 0 ? "none" : info.InputPreprocessing;
        metadata["axis_cm1"] = JsonSerializer.Serialize(info.Axis);
        metadata["input_axis_cm1"] = JsonSerializer.Serialize(info.InputAxis);
        metadata["inputs"] = $"spectra: float32 [batch, {(channels ? $"{inChannels}, " : "")}{length}], spectra on axis_cm1 AFTER the preprocessing pipeline "
            + $"'{pipeline}', which the graph does not apply: run it first (peakformer preprocess --steps '{pipeline}' on spectra on input_axis_cm1"
            + (info.InputPreprocessing.Length == 0 ? "" : $" that have already been through '{info.InputPreprocessing}'") + ")";
        metadata["outputs"] = $"logits and probabilities: float32 [batch, {classes}], class k named by class_names[k]";
        return graph.ToBytes(OnnxMetadata.PeakformerVersion, metadata,
            $"Peakformer {kind.Name} ({kind.DisplayName}) exported from {Path.GetFileName(checkpointPath)}; apply its preprocessing ({pipeline}) before the graph");
    }
}
