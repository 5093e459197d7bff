using System.CommandLine;
using System.CommandLine.Parsing;
using Peakformer.Sharding;

namespace Peakformer.Cli;

/// <summary>
/// --shard I/N, one definition for every command that splits its work (simulate, predict, count, dndx, pid): the parser is
/// <see cref="Shard.Parse"/>, the part each shard takes <see cref="Shard.Range"/>. A sharded run keeps a status file
/// beside its output (<see cref="ShardStatus"/>) that <c>merge</c> and <c>status</c> read.
/// </summary>
public static class ShardOption
{
    /// <summary>Options that name where a shard writes or how fast it runs, not what it computes: they may differ between shards.</summary>
    private static readonly string[] PerShard = ["--out", "--peaks", "--force", "--threads", "--shard"];

    public static Option<string?> Create() => new("--shard")
    {
        Description = "Do shard I of N of the work (0-based, I = $SLURM_ARRAY_TASK_ID in an array 0-(N-1)): a deterministic part, " +
            "so `merge` of the N outputs equals the single run. Writes OUT.status.json beside the output (see `status`).",
    };

    public static Shard? Read(ParseResult parse, Option<string?> option) => parse.GetValue(option) is { } text ? Shard.Parse(text) : null;

    /// <summary>
    /// The status writer of a sharded run, its file (OUT.status.json) checked as an output with the others; null
    /// without --shard. Call it after the outputs are checked and before the work starts.
    /// </summary>
    public static ShardStatusWriter? Status(ParseResult parse, Shard? shard, bool force, IReadOnlyList<string> outputs, params string?[] inputs)
    {
        if (shard is not { } s) return null;
        string path = OutputPath.Check(ShardStatus.PathFor(outputs[0]), force, "--shard", [.. inputs, .. outputs]);
        return new ShardStatusWriter(path, parse.CommandResult.Command.Name, Settings(parse), s, outputs);
    }

    /// <summary>Runs a sharded command's work: the status says done when it returns, failed (with the error) when it throws.</summary>
    public static T Track<T>(ShardStatusWriter? status, Func<T> work)
    {
        if (status is null) return work();
        try
        {
            var result = work();
            status.Finish();
            return result;
        }
        catch (Exception e)
        {
            status.Fail(e.Message);
            throw;
        }
    }

    /// <summary>The options given on the command line, outputs left out, in a canonical order: equal for every shard of one job.</summary>
    public static string Settings(ParseResult parse)
    {
        var given = new List<string>();
        foreach (var child in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (child.Implicit || PerShard.Contains(child.Option.Name)) continue;
            string values = string.Join(" ", child.Tokens.Select(t => t.Value));
            given.Add(values.Length == 0 ? child.Option.Name : $"{child.Option.Name} {values}");
        }
        given.Sort(StringComparer.Ordinal);
        return string.Join(" ", given);
    }
}
