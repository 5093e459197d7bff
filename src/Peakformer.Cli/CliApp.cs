using System.CommandLine;
using Peakformer.Cli.Commands;
using Peakformer.Cli.Output;
using Peakformer.Engine.Checkpoints;
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

    public static RootCommand Build(Terminal terminal)
    {
        var root = new RootCommand("Peakformer: find and count ionisation peaks in drift-chamber waveforms with transformers, on a CPU.");
        root.Options.Add(Threads);
        root.Subcommands.Add(QuickstartCommand.Create(terminal));
        root.Subcommands.Add(DemoCommand.Create(terminal));
        root.Subcommands.Add(BenchCommand.Create(terminal));
        root.Subcommands.Add(SimulateCommand.Create(terminal));
        root.Subcommands.Add(ShowCommand.Create(terminal));
        root.Subcommands.Add(WindowsCommand.Create(terminal));
        root.Subcommands.Add(TrainCommand.Create(terminal));
        root.Subcommands.Add(EvaluateCommand.Create(terminal));
        root.Subcommands.Add(PredictCommand.Create(terminal));
        root.Subcommands.Add(CountCommand.Create(terminal));
        root.Subcommands.Add(PidCommand.Create(terminal));
        return root;
    }

    public static int Run(string[] args, Terminal terminal)
    {
        var root = Build(terminal);
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = terminal.Error, Error = terminal.Error });
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
    }
}
