using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Workflows;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer predict</c>: scores for a window CSV, or peaks in a dataset's waveforms.</summary>
public static class PredictCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Option<string>("--model") { Description = "Trained checkpoint (.safetensors).", Required = true };
        var input = new Option<string>("--in") { Description = "A window CSV (scores each row) or an .npz (finds peaks in every waveform).", Required = true };
        var output = new Option<string>("--out") { Description = "Output CSV: EvtNo,Time,ID,Score for windows; event,sample,time_ns,score for peaks.", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "Peaks: keep those scoring at least this, in (0, 1) (default: the checkpoint's)." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var command = new Command("predict", "Apply a trained peak model to candidate windows (CSV) or whole waveforms (.npz).")
        {
            model, input, output, threshold, force,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", parse.GetValue(input), parse.GetValue(model));
            if (parse.GetValue(threshold) is { } t) Finite.OpenUnit("--threshold", t);
            string source = parse.GetValue(input)!;
            if (source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                long rows = terminal.WithProgress(p => Prediction.ScoreWindows(parse.GetValue(model)!, source, path, p));
                terminal.Line($"wrote {rows:N0} scores to {path}");
            }
            else
            {
                long peaks = terminal.WithProgress(p => Prediction.FindPeaks(parse.GetValue(model)!, source, path, parse.GetValue(threshold), p));
                terminal.Line($"wrote {peaks:N0} peaks to {path}");
            }
            return 0;
        }));
        return command;
    }
}
