using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// Everything that decides a simulated Raman set (with the seed, the same settings give the same file). Intensities
/// of baseline, noise and spikes are fractions of each spectrum's clean maximum, so they read the same whatever the
/// band areas. Written into the .npz as generator_json (snake_case keys).
/// </summary>
public sealed record RamanSimulationSettings
{
    public double MinShift { get; init; } = 200;
    public double MaxShift { get; init; } = 2000;
    public int Points { get; init; } = 1000;
    public int Spectra { get; init; } = 2000;
    /// <summary>Classes drawn by the band generator (ignored with a stick table, whose classes are its own).</summary>
    public int Classes { get; init; } = 12;
    /// <summary>Size of the pool of bands the classes draw their shared bands from.</summary>
    public int SharedPool { get; init; } = 12;
    /// <summary>Bands each class takes from the shared pool (so classes overlap and the task is not trivial).</summary>
    public int SharedPerClass { get; init; } = 4;
    /// <summary>Bands of each class's own.</summary>
    public int UniquePerClass { get; init; } = 2;
    public double FwhmMin { get; init; } = 8;
    public double FwhmMax { get; init; } = 24;
    /// <summary>Band width of a stick table's bands (the table gives positions and intensities only).</summary>
    public double StickFwhm { get; init; } = 12;
    public LineShape LineShape { get; init; } = LineShape.Gaussian;
    /// <summary>Lorentzian share of a pseudo-Voigt profile.</summary>
    public double Eta { get; init; } = 0.5;
    /// <summary>Standard deviation of each band's centre per spectrum, cm^-1.</summary>
    public double ShiftJitter { get; init; } = 3;
    /// <summary>
    /// Standard deviation of one offset of the whole shift axis per spectrum, cm^-1 (calibration drift between
    /// instruments or days): every band of the spectrum moves by it. 0 (the default) draws nothing.
    /// </summary>
    public double CalibrationShift { get; init; }
    /// <summary>Relative standard deviation of each band's width per spectrum.</summary>
    public double WidthJitter { get; init; } = 0.1;
    /// <summary>Relative standard deviation of each band's intensity per spectrum.</summary>
    public double IntensityJitter { get; init; } = 0.25;
    /// <summary>Largest fluorescence baseline (its height drawn uniformly in [0, this] times the clean maximum).</summary>
    public double Baseline { get; init; } = 1.5;
    /// <summary>Gaussian read-out noise, standard deviation as a fraction of the clean maximum.</summary>
    public double Noise { get; init; } = 0.02;
    /// <summary>Counts at the clean maximum for shot noise (sd sqrt(counts), the normal limit of Poisson); 0: none.</summary>
    public double PeakCounts { get; init; } = 2000;
    /// <summary>Chance that a spectrum carries a cosmic-ray spike.</summary>
    public double SpikeProbability { get; init; } = 0.3;
    /// <summary>Largest spike height as a fraction of the clean maximum (drawn in [0.5, 1] times this).</summary>
    public double SpikeHeight { get; init; } = 2;
    /// <summary>Min-max normalise each spectrum (§1).</summary>
    public bool Normalise { get; init; } = true;
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// Seed of the class definitions (the band sets) when not <see cref="Seed"/>: a held-out set drawn with another
    /// seed and the training set's class seed has the same classes. Written only when given.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ClassSeed { get; init; }
    /// <summary>
    /// Incident and scattered polarisation e_i, e_s (unit 3-vectors) for polarised intensities from Raman tensors (§3);
    /// null (the default): unpolarised, band intensities as drawn. Written only when given.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Incident { get; init; }
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Scattered { get; init; }

    /// <summary>The named presets: "benchmark" (<see cref="Benchmark"/>).</summary>
    public const string Presets = "benchmark";

    /// <summary>
    /// The synthetic benchmark of the spectrum task, these settings with: 16 classes drawing 5 of a pool of 10 shared
    /// bands and none of their own (classes differ in which bands and in their intensities), FWHM 8-16 cm^-1, a
    /// calibration offset of sd 25 cm^-1 per spectrum, intensity jitter 0.3, fluorescence up to 3 times the peak,
    /// noise 0.03, a cosmic ray in half of the spectra up to 3 times the peak. Hard for a linear model on raw spectra
    /// (the shift moves every band by more than its width), and left to models that see band patterns wherever they sit.
    /// </summary>
    public RamanSimulationSettings Benchmark() => this with
    {
        Classes = 16, SharedPool = 10, SharedPerClass = 5, UniquePerClass = 0, FwhmMin = 8, FwhmMax = 16, CalibrationShift = 25,
        IntensityJitter = 0.3, Baseline = 3, Noise = 0.03, SpikeProbability = 0.5, SpikeHeight = 3,
    };

    /// <summary>These settings under a named preset; an unknown name is one line naming the presets.</summary>
    public RamanSimulationSettings WithPreset(string name) => name switch
    {
        "benchmark" => Benchmark(),
        _ => throw InputException.At(null, null, "--preset", $"{Presets} (with --domain raman)", $"'{name}'"),
    };

    [System.Text.Json.Serialization.JsonIgnore]
    public SpectralGrid Grid => new(MinShift, MaxShift, Points);

    /// <summary>At most this many values in one set (1 GiB of float32).</summary>
    public const long MaxValues = 1L << 28;

    public void Validate(string where)
    {
        Grid.Validate(where);
        if ((Incident is null) != (Scattered is null))
            throw InputException.At(null, null, $"{where}: {(Incident is null ? "incident" : "scattered")}", "both polarisations or neither", "one");
        foreach (var (name, e) in new[] { ("incident", Incident), ("scattered", Scattered) })
            if (e is not null && (e.Length != 3 || !e.All(double.IsFinite) || e.Sum(v => v * v) < 1e-12))
                throw InputException.At(null, null, $"{where}: {name}", "a non-zero 3-vector of finite numbers", $"[{string.Join(", ", e.Select(Finite.Describe))}]");
        Finite.Count($"{where}: spectra", Spectra, 1, int.MaxValue);
        if ((long)Spectra * Points > MaxValues)
            throw InputException.At(null, null, $"{where}: spectra x points", $"at most {MaxValues} values", $"{(long)Spectra * Points}");
        Finite.Count($"{where}: classes", Classes, 2, 10_000);
        Finite.Count($"{where}: shared_pool", SharedPool, 0, 10_000);
        Finite.Count($"{where}: shared_per_class", SharedPerClass, 0, SharedPool);
        Finite.Count($"{where}: unique_per_class", UniquePerClass, SharedPerClass == 0 ? 1 : 0, 10_000);
        double range = MaxShift - MinShift;
        Finite.Positive($"{where}: fwhm_min", FwhmMin, range);
        Finite.InRange($"{where}: fwhm_max", FwhmMax, FwhmMin, range);
        Finite.Positive($"{where}: stick_fwhm", StickFwhm, range);
        Finite.InRange($"{where}: eta", Eta, 0, 1);
        Finite.InRange($"{where}: shift_jitter", ShiftJitter, 0, range);
        Finite.InRange($"{where}: calibration_shift", CalibrationShift, 0, range);
        Finite.InRange($"{where}: width_jitter", WidthJitter, 0, 1);
        Finite.InRange($"{where}: intensity_jitter", IntensityJitter, 0, 1);
        Finite.InRange($"{where}: baseline", Baseline, 0, 1e6);
        Finite.InRange($"{where}: noise", Noise, 0, 1e6);
        Finite.InRange($"{where}: peak_counts", PeakCounts, 0, 1e12);
        Finite.InRange($"{where}: spike_probability", SpikeProbability, 0, 1);
        Finite.InRange($"{where}: spike_height", SpikeHeight, 0, 1e6);
        if (!Enum.IsDefined(LineShape)) throw InputException.At(null, null, $"{where}: line_shape", "gaussian, lorentzian or pseudo_voigt", LineShape.ToString());
    }
}
