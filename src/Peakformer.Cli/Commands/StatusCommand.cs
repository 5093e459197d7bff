using System.CommandLine;
using System.Globalization;
using Peakformer.Cli.Output;
using Peakformer.Sharding;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer status DIR</c>: the state of the sharded jobs whose status files lie in a folder.</summary>
public static class StatusCommand
{
    public static Command Create(Terminal terminal)
    {
        var folder = new Argument<string>("folder") { Description = "The folder the shards write their outputs (and OUT.status.json files) to." };
        var command = new Command("status", "Summarise the shards of the --shard jobs writing into a folder: done, running, silent, failed, missing; items done and throughput.")
        {
            folder,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string dir = parse.GetValue(folder)!;
            var jobs = ShardStatusSummary.Of(dir, DateTime.UtcNow);
            if (jobs.Count == 0)
            {
                terminal.Line($"{dir}: no shard status files (*.status.json)");
                return 0;
            }
            foreach (var j in jobs)
            {
                terminal.Line($"{j.Command} {j.Settings}");
                terminal.Line($"  shards: {j.Done} done, {j.Running} running, {j.Silent} silent (no update for {ShardStatusSummary.Silence.TotalMinutes:F0} min), {j.Failed} failed, {j.Missing.Count} not started, of {j.Shards}" +
                    (j.Missing.Count > 0 ? $" (not started: {string.Join(",", j.Missing.Take(20))}{(j.Missing.Count > 20 ? ",..." : "")})" : ""));
                terminal.Line($"  items: {j.ItemsDone:N0} of {j.ItemsTotal:N0}{(j.Missing.Count > 0 ? " (started shards only)" : "")}, " +
                    $"{j.OverallRatePerSecond.ToString("N0", CultureInfo.InvariantCulture)}/s overall" +
                    (j.Running > 0 ? $", {j.RunningRatePerSecond.ToString("N0", CultureInfo.InvariantCulture)}/s in the running shards" : ""));
                foreach (var (shard, message) in j.Failures) terminal.Line($"  failed {shard}/{j.Shards}: {message}");
            }
            return 0;
        }));
        return command;
    }
}
