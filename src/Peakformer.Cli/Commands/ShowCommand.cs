using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data.Waveforms;
using Peakformer.Reports;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer show</c>: one waveform with its truth as an SVG figure.</summary>
public static class ShowCommand
{
    public static Command Create(Terminal terminal)
    {
        var input = new Option<string>("--in") { Description = "Dataset (.npz).", Required = true };
        var index = new Option<int>("--event") { Description = "Waveform index (0-based).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output .svg file.", Required = true };
        var from = new Option<double?>("--from-ns") { Description = "Start of the time axis (ns)." };
        var to = new Option<double?>("--to-ns") { Description = "End of the time axis (ns)." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var command = new Command("show", "Draw one waveform (black) with its truth electron times (orange: primaries, light: secondaries) as SVG.")
        {
            input, index, output, from, to, force,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", parse.GetValue(input));
            using var data = WaveformDataset.Open(parse.GetValue(input)!);
            int e = parse.GetValue(index);
            if (e < 0 || e >= data.Count) throw new InputException($"--event: expected an index in [0, {data.Count}), found {e}");
            var plot = WaveformFigure.Build(data, e, data.ReadWaveforms(e, 1), fromNs: parse.GetValue(from), toNs: parse.GetValue(to));
            plot.Save(path);
            terminal.Line($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
