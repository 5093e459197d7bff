using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Windows;
using Peakformer.Progress;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer windows</c>: the peak-classification table (EvtNo,ID,Shift,Sigma,Time,Time0..Time14) of a dataset.</summary>
public static class WindowsCommand
{
    public static Command Create(Terminal terminal)
    {
        var input = new Option<string>("--in") { Description = $"Waveforms ({WaveformSources.Formats}, a comma list or a pattern); without truth every window's ID is 0.", Required = true };
        var output = new Option<string>("--out") { Description = "Output CSV file.", Required = true };
        var balance = new Option<bool>("--balance") { Description = "Keep as many random background windows as signal windows in each waveform (needs truth)." };
        var tolerance = new Option<int>("--tolerance") { Description = "A candidate is signal when a truth electron peaks within this many samples of it.", DefaultValueFactory = _ => DriftChamberConstants.ToleranceSamples };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the background chosen by --balance.", DefaultValueFactory = _ => 42 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var command = new Command("windows", "Cut 15-sample candidate windows (t-5..t+9, mean-subtracted) with truth labels into the published CSV layout.")
        {
            input, output, balance, tolerance, seed, force,
        };
        var read = new WaveformInputOptions();
        read.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", [.. WaveformSources.InputsOf(parse.GetValue(input))]);
            var options = new WindowOptions { Balance = parse.GetValue(balance), ToleranceSamples = parse.GetValue(tolerance), Seed = parse.GetValue(seed) };
            options.Validate();
            using var data = WaveformDataset.Open(parse.GetValue(input)!, read.Read(parse));
            foreach (string note in data.Notes) terminal.Line(note);
            if (options.Balance) data.RequireTruth("--balance");
            long rows = 0, signal = 0;
            terminal.WithProgress(progress =>
            {
                using var task = progress.Start($"cutting windows from {data.Count:N0} waveforms", data.Count, "waveforms");
                WindowCsv.Write(path, Chunks(data, options, task, (n, s) => { rows += n; signal += s; }), options.Length);
                return 0;
            });
            terminal.Line($"wrote {rows:N0} windows ({signal:N0} signal, {(rows == 0 ? 0 : 100.0 * signal / rows):F1}%) to {path}");
            return 0;
        }));
        return command;
    }

    private static IEnumerable<WindowSet> Chunks(WaveformDataset data, WindowOptions options, IProgressTask task, Action<int, int> count)
    {
        const int chunk = 1024;
        for (int start = 0; start < data.Count; start += chunk)
        {
            int n = Math.Min(chunk, data.Count - start);
            var set = WindowExtractor.FromDataset(data, options, start, n);
            count(set.Count, set.Signal);
            task.Advance(n);
            yield return set;
        }
    }
}
