using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// A peak-model checkpoint as an ONNX model. The window models (transformer, LSTM): input "windows" [batch, W], the raw samples
/// t - before .. t + after around a candidate bin t (amplitude in the model's unit, baseline at 0), their mean
/// subtracted inside the graph as <see cref="Windows.WindowCutter"/> does; outputs "logits" and "probabilities"
/// (sigmoid) [batch]. The per-bin and patch transformers: input "waveforms" [batch, samples], whole records as the model was
/// trained on them; outputs one logit and probability per bin. The window, threshold, sampling interval and input
/// conventions are in the metadata.
/// </summary>
public static class PeakOnnxExport
{
    /// <summary>The longest record an exported per-bin transformer takes (its position table's rows).</summary>
    public const int MaxSamples = 8192;

    public static byte[] Export(string checkpointPath)
    {
        var (model, info) = PeakCheckpoint.Load(checkpointPath);
        return Export(model, info, checkpointPath);
    }

    /// <summary>A loaded peak model (e.g. one a count checkpoint carries); <paramref name="source"/> names it in errors and in the file's doc string.</summary>
    public static byte[] Export(IPeakModel model, PeakModelInfo info, string source)
    {
        var graph = new OnnxGraph(model.Module, model.Kind);
        var metadata = OnnxMetadata.For(model.Kind, model.Config, info.Task);
        string logits;
        object[] axes;
        if (model.Task == PeakTask.PerBin)
        {
            var waveforms = graph.Input("waveforms", "batch", "samples");
            logits = model switch
            {
                PerBinTransformer perBin => perBin.ExportOnnx(graph, waveforms, MaxSamples),
                PatchTransformer patches => patches.ExportOnnx(graph, waveforms, MaxSamples),
                _ => throw new InputException($"{source}: the {ModelKinds.All.Get(model.Kind, source).DisplayName} ({model.Kind}) has no ONNX mapping yet"),
            };
            axes = ["batch", "samples"];
            metadata["inputs"] = $"waveforms: float32 [batch, samples] (samples up to {MaxSamples}), whole records sampled every {info.SamplingNs} ns, " +
                "amplitude in the model's unit with the baseline at 0, as the model was trained";
            metadata["outputs"] = "logits and probabilities (sigmoid): float32 [batch, samples], one per bin; Peakformer takes the local maxima of the probabilities along the record, keeps those >= threshold and suppresses weaker maxima too close to a stronger one";
        }
        else
        {
            Func<string, string> body = model switch
            {
                WindowTransformer transformer => windows => transformer.ExportOnnx(graph, windows),
                WindowLstm lstm => windows => lstm.ExportOnnx(graph, windows),
                _ => throw new InputException($"{source}: the {ModelKinds.All.Get(model.Kind, source).DisplayName} ({model.Kind}) has no ONNX mapping yet"),
            };
            int w = model.WindowLength;
            var raw = graph.Input("windows", "batch", w);
            var centred = graph.Node("Sub", [raw, graph.Node("ReduceMean", [raw], null, ("axes", new long[] { 1 }), ("keepdims", 1L))]);
            logits = body(centred);
            axes = ["batch"];
            metadata["inputs"] = $"windows: float32 [batch, {w}], samples t - {info.Windows.Before} .. t + {info.Windows.After} around a candidate bin t, " +
                $"sampled every {info.SamplingNs} ns, amplitude in the model's unit with the baseline at 0; the window mean is subtracted inside the graph";
            metadata["outputs"] = "logits and probabilities (sigmoid): float32 [batch], a peak where probability >= threshold";
        }
        graph.Output(logits, "logits", axes);
        graph.Output(graph.Node("Sigmoid", [logits]), "probabilities", axes);
        metadata["threshold"] = info.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["sampling_ns"] = info.SamplingNs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (info.Input is not null) metadata["input_conventions"] = ModelJson.Serialize(info.Input);
        return graph.ToBytes(OnnxMetadata.PeakformerVersion, metadata, $"Peakformer {model.Kind} exported from {Path.GetFileName(source)}");
    }
}
