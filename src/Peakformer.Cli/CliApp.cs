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
        Scratch.RemoveOnExit();
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
            if (threads < 1) throw new InputException($"--threads: expected a positive number, found {threads}");
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
