using System.CommandLine;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Preprocessing;

namespace Peakformer.Cli;

/// <summary>
/// The options that say how to read a user's spectra (--labels, --wavenumbers, --grid, --label-column): one
/// definition, added to every command that reads spectra through <see cref="SpectrumSetReader"/>.
/// </summary>
public sealed class SpectrumInputOptions
{
    public Option<string?> Labels { get; } = new("--labels") { Description = "Spectra as X .npy: the labels y [N] (default: y*.npy beside X*.npy, e.g. X_test.npy -> y_test.npy)." };
    public Option<string?> Wavenumbers { get; } = new("--wavenumbers") { Description = "Spectra as X .npy: the shift axis [L] in cm^-1 (default: wavenumbers.npy beside X, if there)." };
    public Option<string?> Grid { get; } = new("--grid") { Description = "Resample every spectrum onto MIN:MAX:POINTS (cm^-1; linear interpolation, within every spectrum's range); default: spectra on different grids go onto the first's." };
    public Option<string> LabelColumn { get; } = new("--label-column") { Description = "Spectra as CSV: the column holding each row's class; the others are the shifts.", DefaultValueFactory = _ => SpectrumReadOptions.Default.LabelColumn };

    public void AddTo(Command command)
    {
        command.Options.Add(Labels);
        command.Options.Add(Wavenumbers);
        command.Options.Add(Grid);
        command.Options.Add(LabelColumn);
    }

    public SpectrumReadOptions Read(ParseResult parse)
    {
        var options = new SpectrumReadOptions
        {
            Labels = parse.GetValue(Labels),
            Wavenumbers = parse.GetValue(Wavenumbers),
            Grid = parse.GetValue(Grid) is { } g ? ResampleStep.Parse(new StepArguments("resample:" + g, 1, "--grid")).Grid : null,
            LabelColumn = parse.GetValue(LabelColumn)!,
        };
        options.Validate();
        return options;
    }

    /// <summary>The input files besides --data, for the output checks (an output must not overwrite an input).</summary>
    public string?[] Inputs(ParseResult parse) => [parse.GetValue(Labels), parse.GetValue(Wavenumbers)];
}
