using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Spectroscopy;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Cli.Commands;

/// <summary>
/// <c>peakformer simulate</c>: drift-chamber waveforms with Monte-Carlo truth (the default domain), or labelled Raman
/// spectra (<c>--domain raman</c>), written as .npz.
/// </summary>
public static class SimulateCommand
{
    public static Command Create(Terminal terminal)
    {
        var preset = new Option<string>("--preset") { Description = "Drift: cell and digitiser preset, fcc (IDEA-like, 1200 samples) or cepc (larger cell, 3000 samples). Raman: benchmark (16 classes of shared bands, calibration shift, baseline, noise and spikes: the spectrum task's benchmark).", DefaultValueFactory = _ => "fcc" };
        var particle = new Option<string>("--particle") { Description = "Particle, or a weighted mix: pion | kaon | muon | proton | electron, e.g. pion:0.5,kaon:0.5.", DefaultValueFactory = _ => "pion" };
        var momentum = new Option<string>("--momentum") { Description = "Momentum in GeV/c, or a range MIN:MAX drawn uniformly.", DefaultValueFactory = _ => "5" };
        var events = new Option<long>("--events") { Description = "Number of waveforms.", DefaultValueFactory = _ => 10000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives the same file for any thread count.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output .npz file.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file." };
        var config = new Option<string?>("--config") { Description = "YAML or JSON file of config overrides (snake_case keys)." };
        var set = new Option<string[]>("--set") { Description = "Override one config value, KEY=VALUE (repeatable), e.g. --set noise_rms=0.03.", AllowMultipleArgumentsPerToken = false };
        var domain = new Option<string>("--domain") { Description = "What to simulate: drift (drift-chamber waveforms), raman (labelled Raman spectra) or ters (labelled TERS-like maps).", DefaultValueFactory = _ => "drift" };
        var spectra = new Option<int>("--spectra") { Description = "Raman: number of spectra (balanced over the classes).", DefaultValueFactory = _ => 2000 };
        var classes = new Option<int>("--classes") { Description = "Raman and TERS: number of classes (at least 2; Raman: drawn by the band generator, default 12, not with --sticks; TERS: default 4)." };
        var points = new Option<int>("--points") { Description = "Raman: points of the shift grid.", DefaultValueFactory = _ => 1000 };
        var range = new Option<string>("--range") { Description = "Raman: shift grid MIN:MAX in cm^-1.", DefaultValueFactory = _ => "200:2000" };
        var lineShape = new Option<string>("--line-shape") { Description = "Raman: band profile: gaussian, lorentzian or pseudo-voigt.", DefaultValueFactory = _ => "gaussian" };
        var sticks = new Option<string?>("--sticks") { Description = "Raman: CSV of stick spectra, header class,shift_cm1,intensity[,fwhm_cm1] (e.g. from DFT), instead of generated classes." };
        var maps = new Option<int>("--maps") { Description = "TERS: number of maps (balanced over the classes).", DefaultValueFactory = _ => 2000 };
        var size = new Option<int>("--size") { Description = "TERS: map height and width in pixels.", DefaultValueFactory = _ => 32 };
        var channels = new Option<int>("--channels") { Description = "TERS: band channels per map.", DefaultValueFactory = _ => 3 };
        var classSeed = new Option<ulong?>("--class-seed") { Description = "Raman and TERS: seed of the class definitions (default --seed); a held-out set with another --seed and the training set's class seed has the same classes." };
        var polarisation = new Option<string>("--polarisation") { Description = "Raman: none (unpolarised), parallel, crossed or vectors EIX,EIY,EIZ:ESX,ESY,ESZ: band intensities from per-class Raman tensors in a random orientation per spectrum, I = |e_s^T R e_i|^2.", DefaultValueFactory = _ => "none" };
        var ramanTask = new Option<string>("--task") { Description = "Raman: spectrum (labelled spectra of every class) or tensor (molecules of one class, each measured under 11 polarisation configurations, X [N, 11, L], with the lab-frame Raman tensor of the class's strongest band as target, tensors [N, 9]: train --task tensor).", DefaultValueFactory = _ => "spectrum" };
        var tensorClass = new Option<int>("--tensor-class") { Description = "Raman, --task tensor: index of the generated (or stick-table) class whose molecule is measured.", DefaultValueFactory = _ => 0 };
        var hyperspectral = new Option<bool>("--hyperspectral") { Description = "TERS: each pixel's spectrum is a Raman class spectrum scaled by the local enhancement, reduced to --channels band intensities (mean over equal windows of 200..2000 cm^-1)." };
        var shard = ShardOption.Create();
        var command = new Command("simulate", "Simulate drift-chamber waveforms with Monte-Carlo truth, labelled Raman spectra (--domain raman) or TERS-like maps (--domain ters), and write them as a NumPy .npz.")
        {
            domain, preset, particle, momentum, events, seed, output, force, config, set, spectra, classes, points, range, lineShape, sticks, maps, size, channels, classSeed, polarisation, hyperspectral, ramanTask, tensorClass, shard,
        };
        // The options that belong to one domain (and so are refused with another); --seed, --out, --force and --set serve all.
        var owners = new (string Domain, Option[] Options)[]
        {
            ("drift", [particle, momentum, events, config, shard]),
            ("drift or raman", [preset]),
            ("raman", [spectra, points, range, lineShape, sticks, polarisation, ramanTask, tensorClass]),
            ("ters", [maps, size, channels, hyperspectral]),
            ("raman or ters", [classes, classSeed]),
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string chosen = parse.GetValue(domain)!;
            if (chosen is not ("drift" or "raman" or "ters")) throw InputException.At(null, null, "--domain", "drift, raman or ters", $"'{chosen}'");
            foreach (var (owner, options) in owners)
                if (!owner.Split(" or ").Contains(chosen))
                    foreach (var option in options)
                        if (parse.GetResult(option) is { Implicit: false })
                            throw InputException.At(null, null, option.Name, $"an option of --domain {owner}", $"it with --domain {chosen}");
            int? classCount = parse.GetResult(classes) is { Implicit: false } ? parse.GetValue(classes) : null;
            if (chosen == "ters")
                return TersMaps(terminal, parse.GetValue(seed), parse.GetValue(classSeed), parse.GetValue(output)!, parse.GetValue(force), parse.GetValue(set) ?? [],
                    parse.GetValue(maps), classCount, parse.GetValue(size), parse.GetValue(channels), parse.GetValue(hyperspectral));
            if (chosen == "raman")
                return RamanSpectra(terminal, parse.GetValue(seed), parse.GetValue(classSeed), parse.GetValue(output)!, parse.GetValue(force), parse.GetValue(set) ?? [],
                    parse.GetValue(spectra), classCount, parse.GetValue(points),
                    parse.GetValue(range)!, parse.GetValue(lineShape)!, parse.GetValue(sticks), parse.GetValue(polarisation)!, parse.GetResult(preset) is { Implicit: false } ? parse.GetValue(preset) : null,
                    parse.GetValue(ramanTask)!, parse.GetResult(tensorClass) is { Implicit: false } ? parse.GetValue(tensorClass) : null);
            var physics = SimulationConfigLoader.Load(parse.GetValue(preset)!, parse.GetValue(config), parse.GetValue(set) ?? []);
            var beam = BeamSpec.Parse(parse.GetValue(particle)!, parse.GetValue(momentum)!);
            var run = new SimulationRun(physics, beam, parse.GetValue(events), parse.GetValue(seed));
            run.Validate();
            var part = ShardOption.Read(parse, shard);
            if (part is { } p) run = run.ForShard(p);
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", parse.GetValue(config));
            var status = ShardOption.Status(parse, part, parse.GetValue(force), [path], parse.GetValue(config));
            var summary = ShardOption.Track(status, () => terminal.WithProgress(progress =>
            {
                using var writer = new DatasetWriter(path, run);
                var result = Simulator.Run(run, writer, status?.Around(progress) ?? progress);
                writer.Commit();
                return result;
            }));
            if (part is not null) terminal.Line($"shard {part}: events {run.First:N0} to {run.First + run.Events - 1:N0} of {parse.GetValue(events):N0}");
            terminal.Line($"wrote {summary.Events:N0} waveforms to {path} in {summary.Seconds:F1} s ({summary.EventsPerSecond:N0}/s): " +
                $"mean {summary.MeanClusters:F2} clusters, {summary.MeanElectrons:F2} electrons, track {summary.MeanTrackLengthCm:F3} cm, noise rms {summary.NoiseRms:G3}");
            return 0;
        }));
        return command;
    }

    private static int RamanSpectra(Terminal terminal, ulong seed, ulong? classSeed, string output, bool force, string[] overrides, int spectra, int? classes,
        int points, string range, string lineShape, string? sticks, string polarisation, string? preset = null, string task = "spectrum", int? tensorClass = null)
    {
        if (task is not ("spectrum" or "tensor")) throw InputException.At(null, null, "--task", "spectrum or tensor (with --domain raman)", $"'{task}'");
        if (task != "tensor" && tensorClass is not null) throw InputException.At(null, null, "--tensor-class", "an option of --task tensor", "it with --task spectrum");
        var (incident, scattered) = PolarisationSpec.Parse(polarisation, "--polarisation");
        var (min, max) = ShiftRange(range);
        var shape = lineShape switch
        {
            "gaussian" => LineShape.Gaussian,
            "lorentzian" => LineShape.Lorentzian,
            "pseudo-voigt" => LineShape.PseudoVoigt,
            _ => throw InputException.At(null, null, "--line-shape", "gaussian, lorentzian or pseudo-voigt", $"'{lineShape}'"),
        };
        Finite.Count("--points", points, 2, Spectroscopy.Spectra.SpectralGrid.MaxPoints);
        Finite.Count("--spectra", spectra, 1, RamanSimulationSettings.MaxValues / points);
        if (classes is { } k) Finite.Count("--classes", k, 2, 10_000);
        if (sticks is not null && classes is not null) throw InputException.At(null, null, "--classes", "no class count with --sticks (the table's classes are used)", $"{classes}");
        var settings = new RamanSimulationSettings
        {
            Seed = seed, ClassSeed = classSeed, Incident = incident, Scattered = scattered, Spectra = spectra, Classes = classes ?? 12, Points = points, MinShift = min, MaxShift = max, LineShape = shape,
        };
        // A preset's class count gives way to --classes, as --set overrides anything after it.
        if (preset is not null) settings = settings.WithPreset(preset) is var p && classes is { } count ? p with { Classes = count } : p;
        settings = SettingsOverrides.Apply(settings, overrides);
        settings.Validate("raman");
        var bands = sticks is null ? BandLibrary.Generate(settings) : StickTableCsv.Read(sticks, settings.StickFwhm);
        if (task == "tensor")
        {
            var tensorSettings = new Spectroscopy.Tensors.TensorSetSettings { Raman = settings, Class = tensorClass ?? 0 };
            tensorSettings.Validate("raman", bands.Length);
            string tensorPath = OutputPath.Check(output, force, "--out", sticks);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var tensors = terminal.WithProgress(progress => Spectroscopy.Tensors.TensorSetSimulator.Run(tensorSettings, bands, progress, sticks));
            tensors.Write(tensorPath);
            terminal.Line($"wrote {tensors.Count:N0} molecules of class {tensors.ClassName}, {tensors.Channels} polarised spectra of {tensors.Length:N0} points each, " +
                $"with the tensor of the mode at {tensors.ModeShift:F1} cm^-1, to {tensorPath} in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }
        if (settings.Incident is not null) bands = RamanTensors.Attach(bands, settings.ClassSeed ?? settings.Seed);
        string path = OutputPath.Check(output, force, "--out", sticks);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var set = terminal.WithProgress(progress => RamanSimulator.Run(settings, bands, progress, sticks));
        Spectroscopy.Spectra.SpectrumSetFile.Write(set, path);
        terminal.Line($"wrote {set.Count:N0} Raman spectra of {set.Length:N0} points ({min:G}..{max:G} cm^-1), {bands.Length} classes, to {path} in {started.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static int TersMaps(Terminal terminal, ulong seed, ulong? classSeed, string output, bool force, string[] overrides, int count, int? classes, int size, int channels, bool hyperspectral)
    {
        Finite.Count("--size", size, 2, 4096);
        Finite.Count("--channels", channels, 1, 64);
        Finite.Count("--maps", count, 1, Spectroscopy.Maps.TersMapSettings.MaxValues / ((long)channels * size * size));
        if (classes is { } k) Finite.Count("--classes", k, 2, 10_000);
        var settings = new Spectroscopy.Maps.TersMapSettings { Seed = seed, ClassSeed = classSeed, Maps = count, Classes = classes ?? 4, Height = size, Width = size, Channels = channels, Hyperspectral = hyperspectral };
        settings = SettingsOverrides.Apply(settings, overrides);
        settings.Validate("ters");
        string path = OutputPath.Check(output, force, "--out");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var set = terminal.WithProgress(progress => Spectroscopy.Maps.TersMapSimulator.Run(settings, progress));
        set.Write(path);
        terminal.Line($"wrote {set.Count:N0} TERS maps of {set.Channels} x {set.Height} x {set.Width}, {set.ClassNames.Count} classes, to {path} in {started.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static (double Min, double Max) ShiftRange(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double max)
            && double.IsFinite(min) && double.IsFinite(max) && min < max)
            return (min, max);
        throw InputException.At(null, null, "--range", "MIN:MAX in cm^-1 with MIN < MAX, e.g. 200:2000", $"'{text}'");
    }
}
