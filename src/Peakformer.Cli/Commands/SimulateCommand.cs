using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Simulation;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer simulate</c>: drift-chamber waveforms with Monte-Carlo truth, written as .npz.</summary>
public static class SimulateCommand
{
    public static Command Create(Terminal terminal)
    {
        var preset = new Option<string>("--preset") { Description = "Cell and digitiser preset: fcc (IDEA-like, 1200 samples) or cepc (larger cell, 3000 samples).", DefaultValueFactory = _ => "fcc" };
        var particle = new Option<string>("--particle") { Description = "Particle, or a weighted mix: pion | kaon | muon | proton | electron, e.g. pion:0.5,kaon:0.5.", DefaultValueFactory = _ => "pion" };
        var momentum = new Option<string>("--momentum") { Description = "Momentum in GeV/c, or a range MIN:MAX drawn uniformly.", DefaultValueFactory = _ => "5" };
        var events = new Option<long>("--events") { Description = "Number of waveforms.", DefaultValueFactory = _ => 10000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives the same file for any thread count.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output .npz file.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var config = new Option<string?>("--config") { Description = "YAML or JSON file of config overrides (snake_case keys)." };
        var set = new Option<string[]>("--set") { Description = "Override one config value, KEY=VALUE (repeatable), e.g. --set noise_rms=0.03.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("simulate", "Simulate drift-chamber waveforms with Monte-Carlo truth and write them as a NumPy .npz.")
        {
            preset, particle, momentum, events, seed, output, force, config, set,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var physics = SimulationConfigLoader.Load(parse.GetValue(preset)!, parse.GetValue(config), parse.GetValue(set) ?? []);
            var beam = BeamSpec.Parse(parse.GetValue(particle)!, parse.GetValue(momentum)!);
            var run = new SimulationRun(physics, beam, parse.GetValue(events), parse.GetValue(seed));
            run.Validate();
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", parse.GetValue(config));
            var summary = terminal.WithProgress(progress =>
            {
                using var writer = new DatasetWriter(path, run);
                var result = Simulator.Run(run, writer, progress);
                writer.Commit();
                return result;
            });
            terminal.Line($"wrote {summary.Events:N0} waveforms to {path} in {summary.Seconds:F1} s ({summary.EventsPerSecond:N0}/s): " +
                $"mean {summary.MeanClusters:F2} clusters, {summary.MeanElectrons:F2} electrons, track {summary.MeanTrackLengthCm:F3} cm, noise rms {summary.NoiseRms:G3}");
            return 0;
        }));
        return command;
    }
}
