using System.Globalization;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// A cluster-count checkpoint as an ONNX model. The count transformer: input "tokens" [batch, MaxTokens x Features]
/// (<see cref="PeakTokens"/>), its padding mask computed inside the graph from the validity column. The one-step
/// counter: input "waveforms" [batch, samples], whole records. Both output "standardised" (the model's own output)
/// and "clusters" (standardised x target_scale + target_mean, what <c>count</c> reports) [batch]. How the tokens are
/// built and where their peaks come from are in the metadata; a carried peak model is exported by <see cref="PeakModel"/>.
/// </summary>
public static class CountOnnxExport
{
    public static byte[] Export(string checkpointPath)
    {
        var (model, info, carried) = CountCheckpoint.Load(checkpointPath);
        return Export(model, info, carried, checkpointPath);
    }

    /// <summary>A loaded count model (e.g. one the bench builds); <paramref name="checkpointPath"/> names it in errors and in the file's doc string.</summary>
    public static byte[] Export(ICountModel model, CountModelInfo info, CarriedPeakModel? carried, string checkpointPath)
    {
        var graph = new OnnxGraph(model.Module, model.Kind);
        var metadata = OnnxMetadata.For(model.Kind, model.Config, DriftChamberModels.CountTask);
        string standardised = model switch
        {
            CountTransformer transformer => transformer.ExportOnnx(graph, graph.Input("tokens", "batch", PeakTokens.InputSize)),
            OneStepCounter counter => counter.ExportOnnx(graph, graph.Input("waveforms", "batch", "samples"), PeakOnnxExport.MaxSamples),
            _ => throw new InputException($"{checkpointPath}: the {ModelKinds.All.Get(model.Kind, checkpointPath).DisplayName} ({model.Kind}) has no ONNX mapping yet"),
        };
        graph.Output(standardised, "standardised", "batch");
        var clusters = graph.Node("Add", [graph.Node("Mul", [standardised, graph.Floats("target_scale", [(float)model.TargetScale])]),
            graph.Floats("target_mean", [(float)model.TargetMean])]);
        graph.Output(clusters, "clusters", "batch");

        string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        metadata["inputs"] = model is OneStepCounter one
            ? $"waveforms: float32 [batch, samples] (samples up to {PeakOnnxExport.MaxSamples}), whole records sampled every {Number(info.SamplingNs)} ns, " +
              $"amplitude in the model's unit with the baseline at 0, as the model was trained (on records of {one.Config.Samples} samples; Peakformer counts only records of that length)"
            : TokensDescription(info, carried);
        metadata["outputs"] = "standardised: float32 [batch], the model's output (count - target_mean) / target_scale; " +
            "clusters: float32 [batch], standardised * target_scale + target_mean, the number of ionisation clusters of each record";
        metadata["target_mean"] = Number(model.TargetMean);
        metadata["target_scale"] = Number(model.TargetScale);
        metadata["sampling_ns"] = Number(info.SamplingNs);
        if (!model.ReadsWaveform)
        {
            metadata["peaks_from"] = info.PeaksFrom;
            metadata["max_tokens"] = PeakTokens.MaxTokens.ToString(CultureInfo.InvariantCulture);
            metadata["token_features"] = PeakTokens.Features.ToString(CultureInfo.InvariantCulture);
            if (carried is not null) metadata["min_amplitude_sigma"] = Number(info.MinAmplitudeSigma);
        }
        if (info.Input is not null) metadata["input_conventions"] = ModelJson.Serialize(info.Input);
        return graph.ToBytes(OnnxMetadata.PeakformerVersion, metadata, $"Peakformer {model.Kind} exported from {Path.GetFileName(checkpointPath)}");
    }

    /// <summary>The peak model a count checkpoint carries, as ONNX (<see cref="PeakOnnxExport"/>); an InputException when it carries none.</summary>
    public static byte[] PeakModel(string checkpointPath)
    {
        var (model, info, carried) = CountCheckpoint.Load(checkpointPath);
        if (carried is null)
            throw new InputException($"{checkpointPath}: carries no peak model (the {ModelKinds.All.Get(model.Kind, checkpointPath).DisplayName} reads " +
                (model.ReadsWaveform ? "the waveform" : $"peaks from '{info.PeaksFrom}'") + "), so --peak-model-out has nothing to write");
        return PeakOnnxExport.Export(carried.Model, carried.Info, $"{checkpointPath} ({CountCheckpoint.PeakModelPrefix})");
    }

    /// <summary>The "inputs" metadata of a token model: the <see cref="PeakTokens"/> layout in words, and where the peaks come from.</summary>
    private static string TokensDescription(CountModelInfo info, CarriedPeakModel? carried)
    {
        int n = PeakTokens.MaxTokens, f = PeakTokens.Features;
        string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string peaks = carried is not null
            ? $"the peaks of the peak model the checkpoint carries (peaks_from '{info.PeaksFrom}'; export it with `peakformer export --model <this checkpoint> --peak-model-out peaks.onnx`): " +
              $"its candidates whose sample is more than {Number(info.MinAmplitudeSigma)} noise rms above the baseline, scored, kept at probability >= {Number(carried.Info.Threshold)}"
            : info.PeaksFrom switch
            {
                "truth" => "the Monte-Carlo truth peaks (score 1)",
                "" => "not recorded",
                var spec => $"peaks_from '{spec}' (a classical finder: score 1; or a peak-model file the checkpoint names but does not carry)",
            };
        return $"tokens: float32 [batch, {n * f}], {n} tokens of {f} features, token k's at [k * {f}, k * {f} + {f - 1}]; the token axis is fixed at {n} " +
            "(padding is masked inside the graph, so a fixed length costs nothing in the counts). One token per found peak, in time order from token 0, " +
            $"the rest zeros; peaks beyond {n} dropped. For a peak at sample s of a record x of L samples: " +
            $"[0] s / L; [1] (x[s] - baseline) / {Number(DriftChamberConstants.SingleElectronAmplitude)} (the amplitude scale, in the waveform's unit; " +
            $"baseline the mean of the first {Noise.Samples(info.SamplingNs)} samples, {Number(DriftChamberConstants.NoiseWindowNs)} ns); " +
            $"[2] (s - the previous peak's sample) * {Number(info.SamplingNs)} / 10, the gap in units of 10 ns (0 for the first peak); [3] the finder's score; " +
            $"[4] 1 for a peak, 0 for padding (the attention and pooling mask is [4] > 0.5, computed in the graph; a row without peaks gets a finite count). Peaks: {peaks}";
    }
}
