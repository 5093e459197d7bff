using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Workflows;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer show</c>: one waveform with each finder's peaks in a panel of its own, and its truth, as an SVG figure.</summary>
public static class ShowCommand
{
    public static Command Create(Terminal terminal)
    {
        var input = new Option<string>("--in") { Description = $"Waveforms ({Data.Waveforms.WaveformSources.Formats}, a comma list or a pattern).", Required = true };
        var read = new WaveformInputOptions();
        var models = new Option<string[]>("--model")
        {
            Description = "Peak finders, one panel each: a checkpoint (MODEL or MODEL@0.9), deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2; repeat the option or separate with commas.",
            AllowMultipleArgumentsPerToken = false,
        };
        var index = new Option<int>("--event") { Description = "Waveform index (0-based).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output .svg file.", Required = true };
        var from = new Option<double?>("--from-ns") { Description = "Start of the time axis (ns)." };
        var to = new Option<double?>("--to-ns") { Description = "End of the time axis (ns)." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var command = new Command("show", "Draw one waveform (black) with the peaks each --model finds, one panel per finder on one time axis, and its truth electron times (orange: primaries, light: secondaries) where the file has them, as SVG.")
        {
            input, models, index, output, from, to, force,
        };
        read.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var methods = (parse.GetValue(models) ?? []).SelectMany(DriftChamber.Finders.MethodSpec.SplitList).ToList();
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", [.. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(input)), .. methods]);
            var settings = new ShowSettings
            {
                DataPath = parse.GetValue(input)!,
                Read = read.Read(parse),
                Event = parse.GetValue(index),
                Methods = methods,
                FromNs = parse.GetValue(from),
                ToNs = parse.GetValue(to),
            };
            var figure = terminal.WithProgress(progress => ShowWaveform.Figure(settings, progress));
            figure.Save(path);
            terminal.Line($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
