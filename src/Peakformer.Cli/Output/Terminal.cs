using Peakformer.Progress;
using Spectre.Console;

namespace Peakformer.Cli.Output;

/// <summary>
/// Where the CLI writes: Spectre.Console with live progress bars on a terminal, plain lines when output is
/// redirected or the CI environment variable is set (logs stay readable).
/// </summary>
public sealed class Terminal
{
    public Terminal(TextWriter output, TextWriter error, bool plain)
    {
        Plain = plain;
        Error = error;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (plain) Console.Profile.Width = 160;
    }

    public static Terminal ForProcess()
    {
        bool plain = System.Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
        return new Terminal(System.Console.Out, System.Console.Error, plain);
    }

    public bool Plain { get; }
    public IAnsiConsole Console { get; }
    public TextWriter Error { get; }

    public void Line(string text) => Console.WriteLine(text);

    /// <summary>Runs work with a progress reporter suited to the output (live bars or plain lines).</summary>
    public T WithProgress<T>(Func<IProgressReporter, T> work)
    {
        if (Plain) return work(new PlainProgressReporter(Console));
        T result = default!;
        var rates = new RateColumn();
        Console.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                rates, new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => result = work(new SpectreProgressReporter(ctx, Console, rates)));
        return result;
    }
}
