using System.CommandLine;
using Peakformer.Data.Waveforms;

namespace Peakformer.Cli;

/// <summary>
/// The options that say how to read waveform files from other tools (--pedestal, --gain, --sampling-ns, --map,
/// --csv-columns, --csv-header, --invert, --resample): one definition, added to every command that reads waveforms.
/// </summary>
public sealed class WaveformInputOptions
{
    public Option<double?> Pedestal { get; } = new("--pedestal") { Description = "ADC pedestal subtracted from every sample (overrides the file's 'pedestal' array)." };
    public Option<double?> Gain { get; } = new("--gain") { Description = "Amplitude per ADC count after the pedestal (overrides the file's 'gain' array): amplitude = (adc - pedestal) * gain." };
    public Option<double?> SamplingNs { get; } = new("--sampling-ns") { Description = "Sampling interval in ns (overrides the file's 'sampling_ns')." };
    public Option<string?> Map { get; } = new("--map") { Description = "Where Peakformer's arrays are in the file: e.g. waveforms=/adc/samples,sampling_ns=/meta/dt (HDF5 datasets, .npz keys, CSV columns)." };
    public Option<string?> CsvColumns { get; } = new("--csv-columns") { Description = "CSV: names of the leading columns before the samples, e.g. event,pedestal (pedestal, gain and sampling_ns columns are used)." };

    public Option<bool> CsvHeader { get; } = new("--csv-header") { Description = "CSV: the first line is a header even when it is all numbers (pandas' 0,1,2,... column labels); without it a first line of numbers is waveform 0." };

    public Option<bool> Invert { get; } = new("--invert") { Description = "Negative pulses (most chambers): flip every amplitude's sign after pedestal and gain, amplitude = -(adc - pedestal) * gain." };

    public Option<bool> Resample { get; } = new("--resample") { Description = "Resample every waveform to the model's sampling interval when the file's differs (linear interpolation; the record keeps its duration; truth peak samples move to the new grid)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Invert);
        command.Options.Add(Pedestal);
        command.Options.Add(Gain);
        command.Options.Add(SamplingNs);
        command.Options.Add(Map);
        command.Options.Add(CsvColumns);
        command.Options.Add(CsvHeader);
        command.Options.Add(Resample);
    }

    public WaveformReadOptions Read(ParseResult parse) => new WaveformReadOptions
    {
        Pedestal = parse.GetValue(Pedestal),
        Gain = parse.GetValue(Gain),
        SamplingNs = parse.GetValue(SamplingNs),
        Names = WaveformArrayNames.Parse(parse.GetValue(Map)),
        CsvColumns = CliApp.SplitList(parse.GetValue(CsvColumns)),
        CsvHeader = parse.GetValue(CsvHeader),
        Invert = parse.GetValue(Invert),
        Resample = parse.GetValue(Resample),
    }.Validate();
}
