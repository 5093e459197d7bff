using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data.Images;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;
using Peakformer.Evaluation;
using Peakformer.DriftChamber.Models;
using Peakformer.Reports;
using Peakformer.Spectroscopy.Evaluation;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Vision.Evaluation;
using Peakformer.Vision.Models;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer evaluate</c>: peak models and classical finders against truth, or image models on a test split, as report/index.html and metrics.json.</summary>
public static class EvaluateCommand
{
    public static Command Create(Terminal terminal)
    {
        var task = new Option<string?>("--task") { Description = $"{VisionModels.ImageTask}: image models on the test split of --data; {Spectroscopy.Maps.MapModels.MapTask}: map models on a TERS map .npz; tensor: Raman tensor models on a tensor set (simulate --domain raman --task tensor) (default: by the checkpoints' kind, else peak models and classical finders)." };
        var data = new Option<string>("--data") { Description = "Held-out dataset with truth (.npz); for --task image an MNIST-layout folder, IDX images file or image .npz (its test split).", Required = true };
        var models = new Option<string?>("--models") { Description = "Comma-separated checkpoints (.safetensors); spectrum checkpoints are recognised by their kind (--task spectrum implied)." };
        models.Aliases.Add("--model");
        var classical = new Option<string>("--classical") { Description = "Comma-separated classical finders: deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2 (empty for none).", DefaultValueFactory = _ => "deriv,d2" };
        var tune = new Option<string?>("--tune-data") { Description = "Training dataset the classical thresholds are tuned on (default: the published typical values)." };
        var output = new Option<string>("--out") { Description = "Report folder (index.html, metrics.json, SVG figures).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing report folder." };
        var events = new Option<int>("--events") { Description = "Evaluate at most this many waveforms (0: all).", DefaultValueFactory = _ => 0 };
        var tolerance = new Option<int>("--tolerance") { Description = "A found peak matches a truth electron within this many samples.", DefaultValueFactory = _ => DriftChamberConstants.ToleranceSamples };
        var threshold = new Option<double?>("--threshold") { Description = "Decision threshold for every model, in (0, 1) (default: each checkpoint's)." };
        var command = new Command("evaluate", "Compare peak models and classical finders against Monte-Carlo truth and write an HTML report with SVG figures.")
        {
            task, data, models, classical, tune, output, force, events, tolerance, threshold,
        };
        var read = new WaveformInputOptions();
        read.AddTo(command);
        var spectrumRead = new SpectrumInputOptions();
        spectrumRead.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out",
                [.. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(data)), .. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(tune)), .. CliApp.SplitList(parse.GetValue(models))]);
            string mapTask = Spectroscopy.Maps.MapModels.MapTask;
            if (parse.GetValue(task) is { } t && t != VisionModels.ImageTask && t != mapTask && t != SpectrumModels.SpectrumTask && t != Spectroscopy.Tensors.TensorModels.TensorTask && t != DriftChamberModels.WindowTask && t != DriftChamberModels.PerBinTask)
                throw new InputException($"--task: expected {VisionModels.ImageTask}, {mapTask}, {SpectrumModels.SpectrumTask}, {DriftChamberModels.WindowTask} or {DriftChamberModels.PerBinTask} (cluster counts: the count command), found '{t}' (or {Spectroscopy.Tensors.TensorModels.TensorTask})");
            var listed = CliApp.SplitList(parse.GetValue(models));
            string tensorTask = Spectroscopy.Tensors.TensorModels.TensorTask;
            if (parse.GetValue(task) == tensorTask || (parse.GetValue(task) is null && listed.Count > 0 && listed.All(Spectroscopy.Tensors.TensorCheckpoint.IsTensorModel)))
            {
                var tensors = Spectroscopy.Tensors.TensorSet.Read(parse.GetValue(data)!);
                var evaluated = terminal.WithProgress(progress => Spectroscopy.Tensors.TensorEvaluation.Run(tensors, parse.GetValue(data)!, listed, progress));
                TensorReport.Write(folder, evaluated);
                foreach (var m in evaluated.Models)
                    terminal.Line($"{m.Model} (lambda {m.SymmetryPenalty.ToString(System.Globalization.CultureInfo.InvariantCulture)}): RMSE {m.Metrics.Rmse:F4}, relative Frobenius {m.Metrics.RelativeFrobenius:F4}, " +
                        $"asymmetry {m.Metrics.Asymmetry:F4}, |a error| {m.Metrics.MeanAError:F4}, |gamma^2 error| {m.Metrics.Gamma2Error:F4} on {evaluated.Examples:N0} molecules");
                terminal.Line($"report: {Path.Combine(folder, "index.html")}");
                return 0;
            }
            if (parse.GetValue(task) == SpectrumModels.SpectrumTask || (parse.GetValue(task) is null && listed.Count > 0 && listed.All(SpectrumCheckpoint.IsSpectrumModel)))
            {
                var raw = SpectrumSetReader.Read(parse.GetValue(data)!, spectrumRead.Read(parse), terminal.Line);
                var spectra = terminal.WithProgress(progress => SpectrumEvaluation.Run(raw, parse.GetValue(data)!, listed, progress));
                SpectrumReport.Write(folder, spectra, raw);
                foreach (var m in spectra.Models)
                    terminal.Line($"{m.Model}: accuracy {m.Accuracy:F4} ± {m.AccuracyStandardError:F4}, macro-F1 {m.MacroF1:F4} ± {m.MacroF1StandardError:F4} on {spectra.Spectra:N0} spectra" +
                        (m.Preprocessing.Length > 0 ? $" (preprocessed as trained: {m.Preprocessing})" : ""));
                terminal.Line($"report: {Path.Combine(folder, "index.html")}");
                return 0;
            }
            if (parse.GetValue(task) is { } vision && (vision == VisionModels.ImageTask || vision == mapTask))
            {
                var paths = CliApp.SplitList(parse.GetValue(models));
                if (paths.Count == 0) throw new InputException($"--models: expected at least one {vision}-model checkpoint, found none");
                var set = ImageSetReader.Read(parse.GetValue(data)!, ImageSplit.Test);
                var images = terminal.WithProgress(progress => ImageEvaluation.Run(set, paths, progress, vision));
                ImageReport.Write(folder, images, set);
                foreach (var m in images.Models)
                    terminal.Line($"{m.Model}: accuracy {m.Accuracy:F4} ± {m.AccuracyStandardError:F4}, macro-F1 {m.MacroF1:F4}, weighted-F1 {m.WeightedF1:F4} on {images.Images:N0} test {(vision == mapTask ? "maps" : "images")}");
                if (images.Comparison is { } c)
                    terminal.Line($"2D - 1D patches: accuracy {c.AccuracyDifference:+0.0000;-0.0000} ± {c.AccuracyDifferenceStandardError:F4}, McNemar p = {c.McNemarP:G3}");
                terminal.Line($"report: {Path.Combine(folder, "index.html")}");
                return 0;
            }
            var settings = new EvaluationSettings
            {
                DataPath = parse.GetValue(data)!,
                Read = read.Read(parse),
                ModelPaths = CliApp.SplitList(parse.GetValue(models)),
                Classical = DriftChamber.Finders.MethodSpec.SplitList(parse.GetValue(classical)).Select(c => c.ToLowerInvariant()).ToList(),
                TuneDataPath = parse.GetValue(tune),
                Events = parse.GetValue(events),
                ToleranceSamples = parse.GetValue(tolerance),
                Threshold = parse.GetValue(threshold),
            };
            settings.Validate();
            var result = terminal.WithProgress(progress => PeakEvaluation.Run(settings, progress));
            using (var dataset = WaveformDataset.Open(settings.DataPath, settings.Read)) EvaluationReport.Write(folder, result, dataset);
            Summarise(terminal, result);
            terminal.Line($"report: {Path.Combine(folder, "index.html")}");
            return 0;
        }));
        return command;
    }

    internal static void Summarise(Terminal terminal, EvaluationResult r)
    {
        foreach (var w in r.WindowLevel)
            terminal.Line($"{w.Model}: window ROC AUC {w.Auc:F4}, TPR {w.TprAtFpr1e2:F3} at FPR 1e-2, accuracy {w.Accuracy:F4} at threshold {w.Threshold:G3}");
        foreach (var f in r.Finders)
            terminal.Line($"{f.Name}: peak efficiency {f.Efficiency:F4}, purity {f.Purity:F4}, F1 {f.F1:F4}, residual rms {f.ResidualRmsNs:F3} ns");
        foreach (var c in r.EqualPurity)
            terminal.Line($"{c.Model} at {c.Classical}'s purity {c.ClassicalPurity:F4}: efficiency {(c.ModelEfficiency is { } e ? e.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "not reached")} vs {c.ClassicalEfficiency:F4}");
    }
}
