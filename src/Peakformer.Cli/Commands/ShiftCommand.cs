using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Evaluation;
using Peakformer.Reports;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer shift</c>: how peak finding and counting degrade on shifted simulations (gain, noise, drift, pulse shape, cross-talk).</summary>
public static class ShiftCommand
{
    public static Command Create(Terminal terminal)
    {
        var models = new Option<string>("--model") { Description = "Comma-separated peak or count checkpoints and classical finders, e.g. m.safetensors,deriv,d2.", Required = true };
        var shifts = new Option<string?>("--shifts") { Description = "JSON file of label -> {simulator key: value}, e.g. {\"gain 0.8\": {\"gain\": 0.8}}." };
        var setList = new Option<string?>("--set-list") { Description = "Shifted sets separated by ';', overrides within a set by ',', e.g. 'gain=0.8;gain=1.2;noise_pink_rms=0.01'." };
        var preset = new Option<string>("--preset") { Description = "Simulator preset of every set: fcc or cepc.", DefaultValueFactory = _ => "fcc" };
        var particle = new Option<string>("--particle") { Description = "Particle or weighted mix, as for simulate.", DefaultValueFactory = _ => "pion" };
        var momentum = new Option<string>("--momentum") { Description = "Momentum in GeV/c or a range MIN:MAX, as for simulate.", DefaultValueFactory = _ => "5" };
        var events = new Option<int>("--events") { Description = "Waveforms per set.", DefaultValueFactory = _ => 1000 };
        var tuneEvents = new Option<int>("--tune-events") { Description = "Waveforms of the nominal tuning set (classical thresholds, constant-mean baseline).", DefaultValueFactory = _ => 300 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every set (the tuning set uses seed + 1).", DefaultValueFactory = _ => 7 };
        var normalise = new Option<bool>("--normalise") { Description = "Also evaluate every set after per-waveform amplitude normalisation (baseline subtracted, noise scaled to the training noise)." };
        var output = new Option<string>("--out") { Description = "Report folder (shift.csv, metrics.json, index.html, the simulated sets under data/).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing report folder." };
        var command = new Command("shift", "Measure how peak-finding F1 and count MAE degrade on simulations with shifted gain, noise, drift, pulse shape or cross-talk.")
        {
            models, shifts, setList, preset, particle, momentum, events, tuneEvents, seed, normalise, output, force,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var sets = new List<ShiftSet>();
            if (parse.GetValue(shifts) is { } file) sets.AddRange(ShiftSet.ReadJson(file));
            if (parse.GetValue(setList) is { } list) sets.AddRange(ShiftSet.ParseList(list));
            var settings = new ShiftSettings
            {
                Methods = DriftChamber.Finders.MethodSpec.SplitList(parse.GetValue(models)),
                Shifts = sets,
                Preset = parse.GetValue(preset)!,
                Particle = parse.GetValue(particle)!,
                Momentum = parse.GetValue(momentum)!,
                Events = parse.GetValue(events),
                TuneEvents = parse.GetValue(tuneEvents),
                Seed = parse.GetValue(seed),
                Normalise = parse.GetValue(normalise),
            };
            settings.Validate();
            string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out");
            using var report = new ReportFolder(folder);
            var result = terminal.WithProgress(progress => ShiftStudy.Run(settings, report.File("data"), progress));
            ShiftReport.Write(report, result);
            foreach (var row in result.Rows.Where(r => r.Set != ShiftSet.NominalLabel))
                terminal.Line($"{row.Set} ({row.Mitigation}) {row.Method}: {(row.Metric == ShiftResult.F1 ? "F1" : "count MAE")} {row.Value:F4} ± {row.Error:F4} ({row.Change:+0.0000;-0.0000} from nominal)");
            terminal.Line($"report: {Path.Combine(folder, "index.html")}");
            return 0;
        }));
        return command;
    }
}
