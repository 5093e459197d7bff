using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data.Images;
using Peakformer.Data.Waveforms;
using Peakformer.Engine.Checkpoints;
using Peakformer.Spectroscopy.Evaluation;
using Peakformer.Spectroscopy.Models;
using Peakformer.Vision.Evaluation;
using Peakformer.Vision.Models;
using Peakformer.Workflows;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer predict</c>: scores for a window CSV, peaks in a dataset's waveforms, or classes and probabilities of images.</summary>
public static class PredictCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Option<string>("--model") { Description = "Trained checkpoint (.safetensors); for cluster counts also deriv, d2, deriv:N1,N2,N3,N4 or d2:T1,T2 (the finder's peaks clusterised).", Required = true };
        var input = new Option<string>("--in") { Description = $"A window CSV (scores each row) or waveforms ({WaveformSources.Formats}, a comma list or a pattern such as 'runs/*.h5': finds peaks in every waveform); for an image model an MNIST-layout folder, IDX images file or image .npz.", Required = true };
        input.Aliases.Add("--data");
        var read = new WaveformInputOptions();
        var output = new Option<string>("--out") { Description = "Output CSV: EvtNo,Time,ID,Score for windows; event,sample,time_ns,score for peaks (file,event,... from several files); file,event,n_clusters for a count model or deriv/d2; index,label,predicted,p_CLASS... for images.", Required = true };
        var peaks = new Option<string?>("--peaks") { Description = "Cluster counts: also write the peaks counted, one row per peak (file,event,sample,time_ns,score), to this CSV." };
        var s = new Option<double>("--s") { Description = "Cluster counts with deriv/d2: a peak within s*sqrt(t[ns]) of its cluster's first peak joins it.", DefaultValueFactory = _ => DriftChamber.Counting.Clusterisation.DefaultS };
        var split = new Option<ImageSplit>("--split") { Description = "Image models: which split of a folder or Keras .npz to read (Train or Test).", DefaultValueFactory = _ => ImageSplit.Test };
        var threshold = new Option<double?>("--threshold") { Description = "Peaks: keep those scoring at least this, in (0, 1) (default: the checkpoint's)." };
        var events = new Option<int>("--events") { Description = "Cluster counts: count the first this many waveforms across the file set (0: all).", DefaultValueFactory = _ => 0 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var preCut = new Option<double>("--pre-cut") { Description = "Peaks of a window model: score only candidates at least this many noise rms above the waveform's baseline, batched across waveforms (about 4x faster at 3; 0: every candidate).", DefaultValueFactory = _ => 0 };
        var normalise = NormaliseOption.Create();
        var shard = ShardOption.Create();
        var command = new Command("predict", "Apply a trained model to candidate windows (CSV) or whole waveforms (.npz, .npy, HDF5, CSV): peaks, or cluster counts per waveform (count models, deriv/d2 clusterised).")
        {
            model, input, output, threshold, force, split, peaks, s, normalise, events, shard, preCut,
        };
        read.AddTo(command);
        var spectrumRead = new SpectrumInputOptions();
        spectrumRead.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string source = parse.GetValue(input)!;
            List<string> inputs = [.. WaveformSources.InputsOf(source)];
            inputs.Add(parse.GetValue(model)!);
            inputs.AddRange(spectrumRead.Inputs(parse).OfType<string>());
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", [.. inputs]);
            if (parse.GetValue(threshold) is { } t) Finite.OpenUnit("--threshold", t);
            Finite.InRange("--pre-cut", parse.GetValue(preCut), 0, 1000);
            bool cutting = parse.GetValue(preCut) != 0;
            if (cutting && (SpectrumCheckpoint.IsSpectrumModel(parse.GetValue(model)!) || IsImageModel(parse.GetValue(model)!) || CountPrediction.Counts(parse.GetValue(model)!)
                || Peakformer.Data.WindowCsv.IsWindowTable(source)))
                throw InputException.At(null, null, "--pre-cut", "peaks of whole waveforms from a window model (window transformer, LSTM)", $"{parse.GetValue(model)} on {source}");
            var readOptions = read.Read(parse);
            bool normalising = parse.GetValue(normalise);
            if (normalising && (IsImageModel(parse.GetValue(model)!) || Peakformer.Data.WindowCsv.IsWindowTable(source)))
                throw InputException.At(null, null, "--normalise", "a peak or count model applied to whole waveforms", $"{parse.GetValue(model)} on {source}");
            if (SpectrumCheckpoint.IsSpectrumModel(parse.GetValue(model)!))
            {
                if (normalising || parse.GetValue(events) != 0 || parse.GetValue(threshold) is not null || parse.GetValue(peaks) is not null || parse.GetValue(shard) is not null)
                    throw InputException.At(null, null, "--normalise, --events, --threshold, --peaks and --shard", "waveform models (a spectrum model reads every spectrum through its own preprocessing)", parse.GetValue(model)!);
                var (count, steps) = terminal.WithProgress(p => SpectrumPredictionCsv.Write(parse.GetValue(model)!, source, spectrumRead.Read(parse) with { LabelsOptional = true }, path, p, terminal.Line));
                terminal.Line($"wrote {count:N0} spectrum predictions to {path}{(steps.Length > 0 ? $" (spectra preprocessed as the model was trained: {steps})" : "")}");
                return 0;
            }
            var part = ShardOption.Read(parse, shard);
            if (part is not null && (IsImageModel(parse.GetValue(model)!) || Peakformer.Data.WindowCsv.IsWindowTable(source)))
                throw InputException.At(null, null, "--shard", "peaks or cluster counts of whole waveforms", $"{parse.GetValue(model)} on {source}");
            if (IsImageModel(parse.GetValue(model)!))
            {
                if (parse.GetValue(events) != 0) throw InputException.At(null, null, "--events", "cluster counts (a count model or deriv/d2); images are predicted for every input", parse.GetValue(model)!);
                int images = terminal.WithProgress(p => ImagePredictionCsv.Write(parse.GetValue(model)!, source, parse.GetValue(split), path, p));
                terminal.Line($"wrote {images:N0} image predictions to {path}");
                return 0;
            }
            if (CountPrediction.Counts(parse.GetValue(model)!))
            {
                if (parse.GetValue(threshold) is not null)
                    throw InputException.At(null, null, "--threshold", "no threshold for cluster counts (a count model applies its own; give deriv/d2 thresholds in the spec: deriv:N1,N2,N3,N4 or d2:T1,T2)", parse.GetValue(model)!);
                string? peaksPath = parse.GetValue(peaks) is { } p ? OutputPath.Check(p, parse.GetValue(force), "--peaks", [.. inputs, path]) : null;
                var settings = new CountPredictionSettings
                {
                    Method = parse.GetValue(model)!, DataPath = source, Read = readOptions, Output = path, PeaksOutput = peaksPath, ClusterisationS = parse.GetValue(s), Events = parse.GetValue(events),
                    Normalise = normalising, Shard = part,
                };
                var counted = ShardOption.Status(parse, part, parse.GetValue(force), peaksPath is null ? [path] : [path, peaksPath], [.. inputs]);
                var result = ShardOption.Track(counted, () => terminal.WithProgress(p => CountPrediction.Run(settings, counted?.Around(p) ?? p)));
                terminal.Line($"wrote cluster counts of {result.Waveforms:N0} waveforms to {path} ({result.Means[0].Method}: {result.Means[0].MeanCount:F2} clusters on average)");
                if (peaksPath is not null) terminal.Line($"wrote {result.Peaks:N0} peaks to {peaksPath}");
                return 0;
            }
            if (parse.GetValue(events) != 0) throw InputException.At(null, null, "--events", "cluster counts (a count model or deriv/d2); peaks and images are written for every input", parse.GetValue(model)!);
            if (parse.GetValue(peaks) is not null) throw InputException.At(null, null, "--peaks", "a count model or deriv/d2 (peak models write their peaks to --out)", parse.GetValue(model)!);
            if (Peakformer.Data.WindowCsv.IsWindowTable(source))
            {
                long rows = terminal.WithProgress(p => Prediction.ScoreWindows(parse.GetValue(model)!, source, path, p));
                terminal.Line($"wrote {rows:N0} scores to {path}");
            }
            else
            {
                var status = ShardOption.Status(parse, part, parse.GetValue(force), [path], [.. inputs]);
                long peaks = ShardOption.Track(status, () => terminal.WithProgress(p =>
                    Prediction.FindPeaks(parse.GetValue(model)!, source, readOptions, path, parse.GetValue(threshold), status?.Around(p) ?? p, normalising, part, parse.GetValue(preCut))));
                terminal.Line($"wrote {peaks:N0} peaks to {path}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Whether a checkpoint holds an image or map model (a Vision Transformer kind); anything unreadable is left to the peak path's errors.</summary>
    private static bool IsImageModel(string path) =>
        File.Exists(path) && path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
        && ModelKinds.All.Find(Checkpoint.ReadHeader(path).Kind)?.ConfigType == typeof(VisionTransformerConfig);
}
