using Peakformer.Cli;
using Peakformer.Cli.Output;

namespace Peakformer.Tests.Cli;

/// <summary>Runs the command line in-process with captured output (plain mode).</summary>
public static class CliHarness
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, new Terminal(output, error, plain: true));
        return (exit, output.ToString(), error.ToString());
    }
}
