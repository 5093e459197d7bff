using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Evaluation;
using Peakformer.Reports;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer count</c>: cluster-count models against their baselines and clusterisation, as a report.</summary>
public static class CountCommand
{
    public static Command Create(Terminal terminal)
    {
        var data = new Option<string>("--data") { Description = $"Held-out dataset ({Data.Waveforms.WaveformSources.Formats}, a comma list or a pattern). With truth (.npz): a report of errors; without: counts.csv, each method's count per waveform (file,event,METHOD...).", Required = true };
        var read = new WaveformInputOptions();
        var models = new Option<string?>("--models") { Description = $"Comma-separated count-model checkpoints ({string.Join(", ", DriftChamber.Models.DriftChamberModels.CountKinds.Select(k => k.DisplayName))})." };
        var peakModels = new Option<string?>("--peak-models") { Description = "Comma-separated peak-model checkpoints whose peaks are clusterised." };
        var classical = new Option<string>("--classical") { Description = "Classical finders whose peaks are clusterised: deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2 (empty for none).", DefaultValueFactory = _ => "deriv,d2" };
        var train = new Option<string?>("--train-data") { Description = "Training dataset: tunes the deriv/d2 thresholds and gives the constant-mean baseline when no count model is given." };
        var noTruthPeaks = new Option<bool>("--no-truth-peaks") { Description = "Leave out the clusterisation of truth electron peaks." };
        var s = new Option<double>("--s") { Description = "Clusterisation: a peak within s*sqrt(t[ns]) of its cluster's first peak joins it.", DefaultValueFactory = _ => DriftChamber.Counting.Clusterisation.DefaultS };
        var bins = new Option<int>("--momentum-bins") { Description = "Equal-width momentum bins for the per-momentum figures.", DefaultValueFactory = _ => 5 };
        var events = new Option<int>("--events") { Description = "Evaluate at most this many waveforms (0: all).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Report folder (index.html, metrics.json, SVG figures); with --shard on data with truth the shard's counts (.npz) that merge joins into the report.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing report folder." };
        var normalise = NormaliseOption.Create();
        var shard = ShardOption.Create();
        var command = new Command("count", "Count primary clusters per waveform with every method and compare with truth: MAE, MSE, bias, resolution, improvement over baselines.")
        {
            data, models, peakModels, classical, train, noTruthPeaks, s, bins, events, output, force, normalise, shard,
        };
        read.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string?[] inputs = [.. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(data)), .. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(train)),
                 .. CliApp.SplitList(parse.GetValue(models)), .. CliApp.SplitList(parse.GetValue(peakModels))];
            var settings = new CountEvaluationSettings
            {
                DataPath = parse.GetValue(data)!,
                Read = read.Read(parse),
                CountModels = CliApp.SplitList(parse.GetValue(models)),
                PeakModels = CliApp.SplitList(parse.GetValue(peakModels)),
                Classical = DriftChamber.Finders.MethodSpec.SplitList(parse.GetValue(classical)).Select(c => c.ToLowerInvariant()).ToList(),
                TrainDataPath = parse.GetValue(train),
                TruthPeaks = !parse.GetValue(noTruthPeaks),
                ClusterisationS = parse.GetValue(s),
                MomentumBins = parse.GetValue(bins),
                Events = parse.GetValue(events),
                Normalise = parse.GetValue(normalise),
            };
            var part = ShardOption.Read(parse, shard);
            bool truth;
            using (var d = Data.Waveforms.WaveformDataset.Open(settings.DataPath, settings.Read)) truth = d.HasTruth;
            if (part is not null && truth)
            {
                // A shard counts its waveforms beside their truth; merge joins the pools and writes the single run's report.
                string poolsPath = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", inputs);
                if (!poolsPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
                    throw InputException.At(null, null, "--out", $"a .npz for the shard's counts beside their truth (truth in {settings.DataPath}; merge writes the report)", $"'{parse.GetValue(output)}'");
                var status = ShardOption.Status(parse, part, parse.GetValue(force), [poolsPath], inputs);
                var pools = ShardOption.Track(status, () =>
                {
                    var p = terminal.WithProgress(progress => CountEvaluation.Count(settings, status?.Around(progress) ?? progress, part));
                    CountPoolsFile.Write(p, poolsPath);
                    return p;
                });
                terminal.Line($"wrote the counts of waveforms {pools.FirstWaveform:N0} to {pools.FirstWaveform + pools.Truth.Length - 1:N0} of {pools.Plan.Waveforms:N0} ({pools.Plan.Methods.Count} methods) to {poolsPath}");
                return 0;
            }
            string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out", inputs);
            if (!truth)
            {
                // Detector data: the counts themselves, in the folder as counts.csv.
                var status = ShardOption.Status(parse, part, parse.GetValue(force), [folder]);
                var counts = ShardOption.Track(status, () =>
                {
                    using var folderOut = new ReportFolder(folder);
                    var result = terminal.WithProgress(progress => Workflows.CountPrediction.RunMethods(settings, folderOut.File("counts.csv"), status?.Around(progress) ?? progress, part));
                    folderOut.Commit();
                    return result;
                });
                terminal.Line($"{counts.Waveforms:N0} waveforms, no truth: counts per waveform of {counts.Means.Count} methods");
                foreach (var (method, mean) in counts.Means) terminal.Line($"{method}: {mean:F2} clusters on average");
                terminal.Line($"counts: {Path.Combine(folder, "counts.csv")}");
                return 0;
            }
            var result = terminal.WithProgress(progress => CountEvaluation.Run(settings, progress));
            CountReport.Write(folder, result);
            Summarise(terminal, result);
            terminal.Line($"report: {Path.Combine(folder, "index.html")}");
            return 0;
        }));
        return command;
    }

    internal static void Summarise(Terminal terminal, CountEvaluationResult r)
    {
        terminal.Line($"{r.Waveforms:N0} waveforms, {r.MeanClusters:F2} primary clusters on average");
        foreach (var m in r.Methods)
            terminal.Line($"{m.Name}: MAE {m.Overall.Mae:F3}, MSE {m.Overall.Mse:F3}, bias {m.Overall.Bias:+0.000;-0.000}, resolution {100 * m.Overall.Resolution:F1}%");
        foreach (var i in r.Improvements.Where(i => i.Baseline == "constant mean" || i.Baseline.StartsWith("least squares", StringComparison.Ordinal)))
            terminal.Line($"{i.Model} vs {i.Baseline}: MAE {Better(i.Mae)}, MSE {Better(i.Mse)}");
    }

    private static string Better(double improvement) => improvement >= 0 ? $"{100 * improvement:F1}% better" : $"{-100 * improvement:F1}% worse";
}
