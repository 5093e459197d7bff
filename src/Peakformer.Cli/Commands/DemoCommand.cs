using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Demo;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer demo</c>: a one-minute end-to-end training run (one pulse vs two piled-up pulses).</summary>
public static class DemoCommand
{
    public static Command Create(Terminal terminal)
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 6 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed for data, initialisation and dropout.", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Train a small transformer to tell one detector pulse from two piled-up pulses, printing loss and accuracy.")
        {
            epochs, seed,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var settings = new PileUpDemoSettings { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            Finite.Count("--epochs", settings.Epochs, 1, 10_000);
            var history = terminal.WithProgress(progress => PileUpDemo.Run(settings, progress));
            var last = history[^1];
            terminal.Line($"final: test loss {last.TestLoss:F4}, test accuracy {last.TestAccuracy:P2} on {settings.TestWindows} held-out windows");
            return 0;
        }));
        return command;
    }
}
