using Peakformer.Cli;
using Peakformer.Cli.Output;

return CliApp.Run(args, Terminal.ForProcess());
