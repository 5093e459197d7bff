using System.CommandLine;
using Peakformer.Cli.Commands;
using Peakformer.Cli.Output;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Files;
using Peakformer.Engine.Threading;

namespace Peakformer.Cli;

/// <summary>Builds the command tree; each command maps its options to a settings record and calls the library.</summary>
public static class CliApp
{
    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "Worker threads for the kernels (default: all cores). Same seed and thread count give identical results.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>Exit code of a defect in Peakformer (EX_SOFTWARE), as opposed to 1 for bad input.</summary>
    public const int InternalError = 70;

    public static RootCommand Build(Terminal terminal)
    {
        var root = new RootCommand("Peakformer: find and count ionisation peaks in drift-chamber waveforms with transformers, on a CPU.");
        root.Options.Add(Threads);
        root.Subcommands.Add(QuickstartCommand.Create(terminal));
        root.Subcommands.Add(DemoCommand.Create(terminal));
        root.Subcommands.Add(BenchCommand.Create(terminal));
        root.Subcommands.Add(SimulateCommand.Create(terminal));
        root.Subcommands.Add(PreprocessCommand.Create(terminal));
        root.Subcommands.Add(ShowCommand.Create(terminal));
        root.Subcommands.Add(WindowsCommand.Create(terminal));
        root.Subcommands.Add(TrainCommand.Create(terminal));
        root.Subcommands.Add(EvaluateCommand.Create(terminal));
        root.Subcommands.Add(PredictCommand.Create(terminal));
        root.Subcommands.Add(AttentionCommand.Create(terminal));
        root.Subcommands.Add(ExportCommand.Create(terminal));
        root.Subcommands.Add(CountCommand.Create(terminal));
        root.Subcommands.Add(PidCommand.Create(terminal));
        root.Subcommands.Add(DndxCommand.Create(terminal));
        root.Subcommands.Add(ShiftCommand.Create(terminal));
        root.Subcommands.Add(MergeCommand.Create(terminal));
        root.Subcommands.Add(StatusCommand.Create(terminal));
        return root;
    }

    public static int Run(string[] args, Terminal terminal)
    {
        Scratch.RemoveOnExit();
        var root = Build(terminal);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            // One line, as for every other bad input; the help is one --help away.
            terminal.Error.WriteLine($"error: {ParseErrors(root, parse)}");
            return 1;
        }
        return parse.Invoke(new InvocationConfiguration { Output = terminal.Error, Error = terminal.Error });
    }

    private static string ParseErrors(RootCommand root, ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        string name = command == root ? "peakformer" : $"peakformer {command.Name}";
        if (command == root && parse.UnmatchedTokens.Count == 0)
            return $"expected a command: {string.Join(", ", root.Subcommands.Select(c => c.Name))} (see peakformer --help)";
        var messages = parse.Errors.Select(e => Reword(e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.'))).ToList();
        foreach (string token in parse.UnmatchedTokens.Where(t => t.StartsWith("--", StringComparison.Ordinal)))
        {
            var options = command.Options.Concat(root.Options).Select(o => o.Name).Distinct();
            var closest = options.Select(o => (Name: o, Distance: EditDistance(token, o))).MinBy(o => o.Distance);
            if (closest.Name is not null && closest.Distance <= 2) messages.Add($"did you mean {closest.Name}?");
        }
        return $"{string.Join("; ", messages)} (see {name} --help)";
    }

    // "Cannot parse argument 'x' for option '--epochs' as expected type 'System.Int32'" in the project's own words.
    private static string Reword(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '(.*)' as expected type '?(?:System\.Nullable`1\[)?System\.(\w+)\]?'?$");
        if (!m.Success) return message;
        string expected = m.Groups[3].Value switch
        {
            "Int32" or "Int64" => "a whole number",
            "UInt32" or "UInt64" => "a non-negative whole number",
            "Single" or "Double" => "a number",
            "Boolean" => "true or false",
            var other => other,
        };
        return $"{m.Groups[2].Value}: expected {expected}, found '{m.Groups[1].Value}'";
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int next = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = row[j];
                row[j] = next;
            }
        }
        return row[b.Length];
    }

    /// <summary>A comma-separated option value as its trimmed, non-empty items.</summary>
    public static List<string> SplitList(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Runs a command body: applies --threads, turns bad input into a one-line error and exit code 1.</summary>
    public static int Guard(Terminal terminal, ParseResult parse, Func<int> body)
    {
        try
        {
            int threads = parse.GetValue(Threads);
            // More workers than this only costs memory and start-up (100000 threads aborted the runtime after 30 s).
            const int maxThreads = 1024;
            if (threads is < 1 or > maxThreads) throw new InputException($"--threads: expected a number of threads in [1, {maxThreads}], found {threads}");
            WorkerPool.SetSharedThreads(threads);
            return body();
        }
        catch (Exception e) when (e is InputException or SafeTensorsException or IOException or UnauthorizedAccessException)
        {
            terminal.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("PEAKFORMER_TRACE") != "1")
        {
            // A defect, not bad input: still one line (and the temporaries removed on the way out), but its own exit code.
            terminal.Error.WriteLine($"error: internal error ({e.GetType().Name}: {e.Message}); please report it with the command (PEAKFORMER_TRACE=1 shows where)");
            return InternalError;
        }
    }
}
