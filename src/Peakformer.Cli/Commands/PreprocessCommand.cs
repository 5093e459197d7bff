using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer preprocess</c>: spectra (any input <see cref="SpectrumSetReader"/> reads) through a preprocessing pipeline, written as .npz.</summary>
public static class PreprocessCommand
{
    public static Command Create(Terminal terminal)
    {
        var data = new Option<string>("--data") { Description = "Spectra: an .npz (X [N, L] float32/float64, y [N], optional wavenumbers [L] and class_names), an X .npy with its y .npy (or a folder of X.npy, y.npy, wavenumbers.npy), " +
            "a .csv (a header of shifts and a label column, one spectrum per row) or a folder with one sub-folder per class of two-column text files (shift intensity).", Required = true };
        var steps = new Option<string>("--steps")
        {
            Description = "Steps in order, separated by commas, arguments by colons, e.g. crop:400:1800,despike,als:1e5:0.01,savgol:11:3,minmax. " +
                          $"Steps: {StepParser.Names}.",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "Output .npz: X and wavenumbers processed, y, class_names and generator_json as read, and every step so far as preprocessing_json (other arrays of the input are not copied).", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite an output file Peakformer wrote." };
        var command = new Command("preprocess", "Crop, resample, despike, remove baselines, smooth and normalise spectra, and write them as .npz.")
        {
            data, steps, output, force,
        };
        var read = new SpectrumInputOptions();
        read.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var pipeline = PreprocessingPipeline.Parse(parse.GetValue(steps)!, "--steps");
            string input = parse.GetValue(data)!;
            var options = read.Read(parse);
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", [input, .. read.Inputs(parse)]);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var set = SpectrumSetReader.Read(input, options, terminal.Line);
            pipeline.Axes(set.Wavenumbers, "--steps");
            var processed = terminal.WithProgress(progress => pipeline.Apply(set, progress, "--steps"));
            SpectrumSetFile.Write(processed, path);
            terminal.Line($"wrote {processed.Count:N0} spectra of {processed.Length:N0} points ({processed.Wavenumbers[0]:G}..{processed.Wavenumbers[^1]:G}) " +
                          $"to {path} in {started.Elapsed.TotalSeconds:F1} s: {pipeline.Spec}");
            return 0;
        }));
        return command;
    }
}
