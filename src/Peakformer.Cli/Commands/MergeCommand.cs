using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Identification;
using Peakformer.Evaluation;
using Peakformer.Reports;
using Peakformer.Sharding;

namespace Peakformer.Cli.Commands;

/// <summary>
/// <c>peakformer merge</c>: joins the outputs of a job's shards (<c>--shard I/N</c>) into what the single run writes:
/// simulated .npz datasets, CSV tables (predict's peaks and counts, count's counts.csv), or pid's and count's pools
/// into the report the single run writes.
/// </summary>
public static class MergeCommand
{
    public static Command Create(Terminal terminal)
    {
        var output = new Option<string>("--out") { Description = "The merged file (.npz for simulated datasets, .csv for tables), or for pid's pools and count's pools (data with truth) the report folder.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var inputs = new Argument<string[]>("shards") { Description = "The shards' outputs (any order; each with the status file its run wrote beside it).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Join the outputs of the N shards of a --shard job, in shard order, into what the single run writes (.npz datasets, CSV tables).")
        {
            output, force, inputs,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var given = parse.GetValue(inputs)!;
            var shards = ShardSet.Order(given);
            var files = shards.Select(s => s.Path).ToList();
            if (shards[0].Status.Command == "pid")
            {
                // The pools joined, then the analysis the single run does on them: tracks, separation, bootstrap errors.
                string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out", given);
                var result = PidStudy.Analyse(PidPoolsFile.Join(files));
                PidReport.Write(folder, result);
                PidCommand.Summarise(terminal, result);
                terminal.Line($"merged {files.Count} shards of pid into {Path.Combine(folder, "index.html")}");
                return 0;
            }
            if (shards[0].Status.Command == "count" && files.All(f => f.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)))
            {
                // count on data with truth: the pools joined, then the single run's analysis and report on them.
                string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out", given);
                var result = CountEvaluation.Analyse(CountPoolsFile.Join(files));
                CountReport.Write(folder, result);
                CountCommand.Summarise(terminal, result);
                terminal.Line($"merged {files.Count} shards of count into {Path.Combine(folder, "index.html")}");
                return 0;
            }
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", given);
            string kind = Path.GetExtension(path).ToLowerInvariant();
            foreach (string file in files)
                if (!string.Equals(Path.GetExtension(file), kind, StringComparison.OrdinalIgnoreCase))
                    throw InputException.At(file, null, null, $"a {kind} like --out {parse.GetValue(output)}", $"a {Path.GetExtension(file)} file");
            long rows = kind switch
            {
                ".npz" => WaveformDatasetConcat.Write(files, path),
                ".csv" => CsvConcat.Write(files, path),
                _ => throw InputException.At(null, null, "--out", "a .npz (simulated datasets) or .csv (tables)", $"'{parse.GetValue(output)}'"),
            };
            terminal.Line($"merged {files.Count} shards of {shards[0].Status.Command} into {path}: {rows:N0} {(kind == ".npz" ? "waveforms" : "rows")}");
            return 0;
        }));
        return command;
    }
}
