using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Workflows;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer quickstart</c>: simulate, train, evaluate peak finding, count clusters, separate pions from kaons, report.</summary>
public static class QuickstartCommand
{
    public static Command Create(Terminal terminal)
    {
        var output = new Option<string>("--out") { Description = "Folder for the datasets, checkpoints and report.", DefaultValueFactory = _ => "quickstart" };
        var force = new Option<bool>("--force") { Description = "Replace the outputs of an earlier quickstart in the folder (only files Peakformer wrote; other files are left alone)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulated data.", DefaultValueFactory = _ => 1 };
        var command = new Command("quickstart", "The whole chain in about seven minutes: simulate, train the window transformer, the LSTM, the per-bin transformer and the fast patch transformer, evaluate them beside DERIV and D2, count clusters with a count transformer, separate pions from kaons, and write three reports.")
        {
            output, force, seed,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string folder = OutputPath.CheckWorkFolder(parse.GetValue(output)!, parse.GetValue(force), "--out", Quickstart.Outputs);
            var settings = new QuickstartSettings { Folder = folder, Seed = parse.GetValue(seed) };
            var result = terminal.WithProgress(progress => Quickstart.Run(settings, progress));
            terminal.Line($"quickstart finished in {result.Seconds / 60:F1} min (smaller data and fewer epochs than a full study; see README):");
            EvaluateCommand.Summarise(terminal, result.Evaluation);
            CountCommand.Summarise(terminal, result.Counting);
            PidCommand.Summarise(terminal, result.Pid);
            terminal.Line($"reports: {result.Report} (peaks), {result.CountReport} (cluster counting), {result.PidReport} (pion/kaon separation)");
            return 0;
        }));
        return command;
    }
}
